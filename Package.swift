// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-bench", targets: ["BatonBench"]),
        .library(name: "BatonCore", targets: ["BatonCore"]),
        .library(name: "BatonRender", targets: ["BatonRender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // The pure core: period model, lead validity, KPIs, scoring. No files, clock or environment.
        .target(
            name: "BatonCore",
            dependencies: [.product(name: "BigInt", package: "BigInt")]
        ),
        // The edges: CSV and YAML in, result files out (atomically), fixtures, synthetic data.
        .target(
            name: "BatonIO",
            dependencies: ["BatonCore", .product(name: "Yams", package: "Yams")]
        ),
        // zlib: CRC-32 of the .xlsx parts, and raw deflate for the small ones (big sheets use Deflate.swift).
        .systemLibrary(
            name: "BatonZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The C allocator's large-block setting, applied by the command line (glibc; nothing elsewhere).
        .systemLibrary(name: "BatonMemory"),
        // What people read: the view model (every figure already formatted), the HTML page through
        // Mustache templates, the .xlsx workbook.
        .target(
            name: "BatonRender",
            dependencies: [
                "BatonCore", "BatonZlib",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonCore", "BatonIO", "BatonRender", "BatonMemory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark of BENCHMARKS.md: fixed synthetic workloads through the real `baton`.
        .executableTarget(
            name: "BatonBench",
            dependencies: ["BatonIO"]
        ),
        .testTarget(
            name: "BatonTests",
            // Depends on the executable so the end-to-end tests run the real, freshly built `baton`.
            dependencies: [
                "BatonCore", "BatonIO", "BatonRender", "baton",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // Exact's fast path is compared with plain BigInt arithmetic.
                .product(name: "BigInt", package: "BigInt"),
                // The page renderer's tests compare it with swift-mustache's own rendering.
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The workbook writers on their own: escaping, sheet names, splitting, templates, determinism.
        .testTarget(
            name: "BatonRenderTests",
            dependencies: ["BatonRender", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
