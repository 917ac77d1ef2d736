// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Sky",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sky", targets: ["sky"]),
        .executable(name: "skylet", targets: ["skylet"]),
        .executable(name: "sky-operator", targets: ["sky-operator"]),
        .library(name: "SkyCore", targets: ["SkyCore"]),
        .library(name: "SkyPluginKit", targets: ["SkyPluginKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already in async-http-client's graph; named so SkyKubeAPI can import NIOCore/NIOSSL.
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        .target(
            name: "SkyCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(
            name: "SkyCatalog",
            dependencies: ["SkyCore"],
            resources: [.copy("Resources/catalogs")],
            swiftSettings: strict),
        .target(
            name: "SkyOptimizer",
            dependencies: ["SkyCore", "SkyCatalog"],
            swiftSettings: strict),
        .target(
            name: "SkyState",
            dependencies: ["SkyCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "SkyProvision",
            dependencies: ["SkyCore"],
            swiftSettings: strict),
        .target(
            name: "SkyRuntime",
            dependencies: ["SkyCore", "SkyProvision"],
            swiftSettings: strict),
        .target(
            name: "SkyLocal",
            dependencies: ["SkyCore", "SkyProvision", "SkyRuntime"],
            path: "Sources/Backends/Local",
            swiftSettings: strict),
        .target(
            name: "SkySSH",
            dependencies: [
                "SkyCore", "SkyProvision", "SkyRuntime", .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Backends/SSH",
            swiftSettings: strict),
        // libslurm's headers (libslurm-dev); the library itself is opened at run time.
        .target(name: "CSlurm", path: "Sources/CSlurm", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "SkySlurm",
            dependencies: [
                "SkyCore", "SkyProvision", "SkyRuntime", "CSlurm",
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Backends/Slurm",
            swiftSettings: strict),
        .target(
            name: "SkyKubernetes",
            dependencies: ["SkyCore", "SkyProvision", "SkyRuntime"],
            path: "Sources/Backends/Kubernetes",
            swiftSettings: strict),
        .testTarget(
            name: "SkyKubernetesTests",
            dependencies: ["SkyKubernetes", "SkyProvision", "SkyRuntime", "SkyCore"],
            swiftSettings: strict),
        .target(
            name: "Skylet",
            dependencies: ["SkyCore", "SkyState", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "SkyEngine",
            dependencies: [
                "SkyCore", "SkyCatalog", "SkyOptimizer", "SkyState", "SkyProvision",
                "SkyRuntime", "SkyLocal", "SkySSH", "SkySlurm", "SkyKubernetes",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "sky",
            dependencies: [
                "SkyCore", "SkyEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "skylet",
            dependencies: [
                "Skylet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "sky-bench", dependencies: ["SkyCore", "SkyEngine"], path: "Benchmarks/sky-bench",
            swiftSettings: strict),
        .executableTarget(name: "sky-crdgen", dependencies: ["SkyCore"], swiftSettings: strict),
        .testTarget(
            name: "SkyChartTests", dependencies: ["sky-crdgen", "SkyCore"], swiftSettings: strict),
        .target(
            name: "SkyKubeAPI",
            dependencies: [
                "SkyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "SkyKubeAPITests", dependencies: ["SkyKubeAPI"], swiftSettings: strict),
        .target(
            name: "SkyOperator",
            dependencies: [
                "SkyKubeAPI", "SkyEngine", "SkyCore", "SkyState",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "SkyOperatorTests",
            dependencies: ["SkyOperator", "SkyKubeAPI", "SkyEngine", "SkyCore", "sky-operator"],
            swiftSettings: strict),
        .executableTarget(
            name: "sky-operator",
            dependencies: ["SkyOperator", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .executableTarget(
            name: "sky-state-stress",
            dependencies: ["SkyState"],
            path: "Tests/StateStress",
            swiftSettings: strict),
        .testTarget(
            name: "SkySlurmTests",
            dependencies: ["SkySlurm", "SkyProvision", "SkyRuntime", "SkyCore"],
            exclude: ["LeakCheck"], swiftSettings: strict),
        .executableTarget(
            name: "sky-slurm-leakcheck", dependencies: ["SkySlurm"],
            path: "Tests/SkySlurmTests/LeakCheck", swiftSettings: strict),
        .executableTarget(
            name: "sky-slurm-agent",
            dependencies: ["SkySlurm", "SkyPluginKit", "SkyProvision", "SkyCore"],
            swiftSettings: strict),
        .testTarget(name: "SkyCoreTests", dependencies: ["SkyCore"], swiftSettings: strict),
        .testTarget(name: "SkyStateTests", dependencies: ["SkyState"], swiftSettings: strict),
        .testTarget(
            name: "SkyletTests", dependencies: ["Skylet", "SkyCore", "skylet"],
            swiftSettings: strict),
        .testTarget(name: "SkyCLITests", dependencies: ["SkyCore"], swiftSettings: strict),
        .testTarget(
            name: "SkyRuntimeTests", dependencies: ["SkyRuntime", "SkyProvision", "SkyCore"],
            swiftSettings: strict),
        .testTarget(
            name: "SkyProvisionTests",
            dependencies: ["SkyProvision", "SkyRuntime", "SkyLocal", "SkySSH", "SkyCore"],
            swiftSettings: strict),
        .testTarget(
            name: "SkyOptimizerTests", dependencies: ["SkyOptimizer", "SkyCatalog", "SkyCore"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .target(name: "SkyPluginKit", swiftSettings: strict),
        .executableTarget(
            name: "sky-provisioner-example", dependencies: ["SkyPluginKit"],
            path: "plugins/swift-example", swiftSettings: strict),
        .testTarget(
            name: "SkyPluginTests",
            dependencies: [
                "SkyEngine", "SkyProvision", "SkyRuntime", "SkyState", "SkyCore",
                "sky-provisioner-example",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "SkyEngineTests", dependencies: ["SkyEngine", "SkyCore", "SkyState"],
            swiftSettings: strict),
    ]
)
