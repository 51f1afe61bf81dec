extension Plan {
    /// The plan used when a data folder has no `plan.yaml` and no `--plan` is given.
    ///
    /// Both sides are paid on what they control, and the one figure that joins them,
    /// `new_customer_sales`, stands on both scorecards (the "mirror"): marketing cannot be held to
    /// new-customer sales that the sales scorecard does not ask for.
    public static let defaultYAML = """
    # Baton's built-in default plan.
    currency: CNY
    validity:
      phone_pattern: '^\\+?[0-9]{7,15}$'
      dedupe_days: 30
    scorecards:
      - name: marketing
        side: marketing
        no_data: zero
        kpis:
          - kpi: valid_leads
            weight: 40
            target: targets
            scoring: {rule: linear, threshold: 50%, cap: 150%}
          - kpi: validity_rate
            weight: 20
            target: targets
            scoring: {rule: linear, threshold: 50%, cap: 120%}
          - kpi: cost_per_valid_lead
            weight: 20
            target: targets
            scoring: {rule: linear, threshold: 50%, cap: 150%}
          - kpi: new_customer_sales
            weight: 20
            target: targets
            scoring: {rule: linear, threshold: 0%, cap: 150%}
        pay:
          # target_incentive (people.csv) x payout % of the weighted score, prorated by days employed.
          bonus:
            curve:
              - {score: 60, payout: 50%}
              - {score: 100, payout: 100%}
              - {score: 150, payout: 150%}
      - name: sales
        side: sales
        no_data: zero
        kpis:
          - kpi: total_sales
            weight: 40
            target: targets
            scoring: {rule: linear, threshold: 50%, cap: 150%}
          - kpi: new_customer_sales
            weight: 30
            target: targets
            scoring: {rule: linear, threshold: 0%, cap: 150%}
          - kpi: conversion_rate
            weight: 20
            target: targets
            scoring: {rule: linear, threshold: 0%, cap: 150%}
          - kpi: contacted_24h_rate
            weight: 10
            target: 90%
            scoring: {rule: linear, threshold: 0%, cap: 100%}
        pay:
          bonus:
            curve:
              - {score: 60, payout: 50%}
              - {score: 100, payout: 100%}
              - {score: 150, payout: 150%}

    """
}
