import BatonCore

/// The language a report is written in. Every label comes from `Labels`; the data (names, teams, ids)
/// is shown as written in the CSV files.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case en
    /// Simplified Chinese, as a dealer group's HR would write it.
    case zhHans

    /// The BCP 47 tag for the page's `lang` attribute.
    public var tag: String {
        switch self {
        case .en: return "en"
        case .zhHans: return "zh-Hans"
        }
    }

    /// Reads `en` or `zh-Hans` (also `zh`, `zh-CN`, `zhHans`), as a command-line option would give it.
    public init?(tag: String) {
        switch tag.lowercased() {
        case "en", "en-us", "en-gb": self = .en
        case "zh", "zh-hans", "zh-cn", "zhhans", "zh_cn": self = .zhHans
        default: return nil
        }
    }
}
