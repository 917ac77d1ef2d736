import Foundation

/// Paths in the checkout and the executables next to the test bundle.
enum Repo {
    /// The repository root (this file is Tests/SkyChartTests/Repo.swift).
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let chart = root + "/charts/sky-operator"
    static let crds = root + "/crds"

    /// A built product of this package (tests run from .build/<config>/<Package>PackageTests.xctest).
    static func product(_ name: String) -> String {
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        let candidates = [
            dir.appendingPathComponent(name).path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent(name).path,
            root + "/.build/debug/" + name,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? candidates[0]
    }
}
