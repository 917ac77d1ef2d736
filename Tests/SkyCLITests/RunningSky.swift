import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `sky` process started in the background (state in `home`, stdout on a pipe, stderr to
/// a file in `home`), for tests that act while it runs: read until a line shows, signal it,
/// close its stdout.
struct RunningSky {
    let process: Process
    let stdout: Pipe
    private let stderrFile: URL

    init(_ arguments: [String], home: URL, environment extra: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = SkyProcess.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SKY_HOME"] = home.path
        environment.merge(extra) { _, new in new }
        process.environment = environment
        stdout = Pipe()
        stderrFile = home.appendingPathComponent("stderr-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let err = try FileHandle(forWritingTo: stderrFile)
        defer { try? err.close() }
        process.standardOutput = stdout
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Reads stdout into `seen` until `done(seen)` holds or it ends.
    func read(into seen: inout String, until done: (String) -> Bool) {
        while !done(seen) {
            let chunk = stdout.fileHandleForReading.availableData
            guard !chunk.isEmpty else { return }
            seen += String(decoding: chunk, as: UTF8.self)
        }
    }

    /// Once sky exited: what it wrote that was not read yet, without waiting for the pipe's
    /// end (a job's process may still hold it open).
    func readRest(into seen: inout String) {
        let fd = stdout.fileHandleForReading.fileDescriptor
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let count = Glibc.read(fd, &buffer, buffer.count), count > 0 {
            seen += String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }

    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }
}
