import Foundation

/// Runs the built `sky` binary (`.build/debug/sky`, found from this file's path) as a child
/// process with `SKY_HOME` pointing at a fresh temporary directory.
struct SkyProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    enum Failure: Error, CustomStringConvertible {
        case binaryMissing(String)

        var description: String {
            switch self {
            case .binaryMissing(let path):
                "no sky binary at \(path); run 'swift build --product sky' first"
            }
        }
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SkyCLITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }

    static var binary: URL {
        packageRoot.appendingPathComponent(".build/debug/sky")
    }

    /// A fresh state home for a test that keeps its clusters between commands: short
    /// (`/tmp/sky-cli-<tag>-<8 hex>`), as unix sockets are made under it.
    static func scratchHome(_ tag: String) throws -> URL {
        let home = URL(fileURLWithPath: "/tmp/sky-cli-\(tag)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home
    }

    /// Takes `cluster` of `home` down (best effort), then removes `home`.
    static func removeHome(
        _ home: URL, downing cluster: String, environment: [String: String] = [:]
    ) {
        _ = try? run(["down", "-y", cluster], skyHome: home, environment: environment)
        try? FileManager.default.removeItem(at: home)
    }

    /// Runs `sky arguments...` and waits for it to exit.
    /// With `skyHome`, that directory is the state home (kept); otherwise a fresh one is used
    /// and removed afterwards.
    static func run(
        _ arguments: [String], stdin: String? = nil, skyHome: URL? = nil,
        environment extra: [String: String] = [:]
    ) throws -> Result {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure.binaryMissing(binary.path)
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-cli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let home = skyHome ?? scratch

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SKY_HOME"] = home.path
        environment.merge(extra) { _, new in new }
        process.environment = environment
        // Output goes to files, so a large output can never block the child on a full pipe.
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Writes `contents` to a new temporary file named `name` and returns its path: in a folder
    /// of this test process's own `/tmp/sky-cli-files-<pid>`, which goes when the process exits.
    static func temporaryFile(named name: String, contents: String) throws -> String {
        let dir = URL(fileURLWithPath: filesRoot).appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private static let filesRoot: String = {
        atexit { try? FileManager.default.removeItem(atPath: "/tmp/sky-cli-files-\(getpid())") }
        return "/tmp/sky-cli-files-\(getpid())"
    }()
}
