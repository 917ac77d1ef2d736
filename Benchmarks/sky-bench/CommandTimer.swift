import Foundation

/// Times an external command: median of several runs, or spawn-to-first-output-line.
struct CommandTimer {
    var runs = 10
    var warmup = true
    var match: String?
    /// `--cpu`: print the median CPU time (user + system) of the command after the wall time.
    var cpu = false
    var argv: [String] = []

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--" { argv = Array(rest); break }
            switch flag {
            case "--no-warmup": warmup = false
            case "--cpu": cpu = true
            case "--runs":
                guard let n = rest.popFirst().flatMap(Int.init), n >= 1 else {
                    throw BenchError.usage("--runs needs a positive number")
                }
                runs = n
            case "--match":
                guard let text = rest.popFirst() else { throw BenchError.usage("--match needs a value") }
                match = text
            default: throw BenchError.usage("unknown option \(flag)")
            }
        }
        guard !argv.isEmpty else { throw BenchError.usage("give the command after --") }
    }

    func runMedian() throws {
        if warmup { _ = try once() }
        var times: [Double] = []
        var cpuTimes: [Double] = []
        for _ in 0..<runs {
            let (wall, used) = try once()
            times.append(wall)
            cpuTimes.append(used)
        }
        var line = String(format: "%.1f", CorpusBench.median(times))
        if cpu { line += String(format: " %.1f", CorpusBench.median(cpuTimes)) }
        print(line)
    }

    /// One run with output discarded: wall time from spawn to reaped, and the child's CPU time
    /// (ms). A non-zero exit is an error carrying stderr's first line.
    func once() throws -> (wall: Double, cpu: Double) {
        let start = ContinuousClock.now
        let child = try ChildProcess(argv: argv, captureOutput: false)
        let used = try child.wait()
        return (CorpusBench.milliseconds(ContinuousClock.now - start), used)
    }

    func runFirstLine() throws {
        let start = ContinuousClock.now
        let child = try ChildProcess(argv: argv, captureOutput: true)
        var first: Double?
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(child.outputFD, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            guard first == nil else { continue }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if match.map({ line.contains($0) }) ?? !line.isEmpty {
                    first = CorpusBench.milliseconds(ContinuousClock.now - start)
                    break
                }
            }
        }
        try child.wait()
        let total = CorpusBench.milliseconds(ContinuousClock.now - start)
        guard let first else {
            throw BenchError.cannotRun("no output line" + (match.map { " containing \($0)" } ?? ""))
        }
        print(String(format: "first_ms=%.1f total_ms=%.1f", first, total))
    }

    /// A bare command name found on PATH, like a shell would.
    static func resolve(_ command: String) -> String {
        guard !command.contains("/") else { return command }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return command
    }
}
