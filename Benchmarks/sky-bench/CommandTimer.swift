import Foundation

/// Times an external command: median of several runs, or spawn-to-first-output-line.
struct CommandTimer {
    var runs = 10
    var warmup = true
    var match: String?
    var argv: [String] = []

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--" { argv = Array(rest); break }
            switch flag {
            case "--no-warmup": warmup = false
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
        for _ in 0..<runs { times.append(try once()) }
        print(String(format: "%.1f", CorpusBench.median(times)))
    }

    /// One run with output discarded; a non-zero exit is an error carrying stderr's first line.
    func once() throws -> Double {
        let process = makeProcess()
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let start = ContinuousClock.now
        try launch(process)
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = CorpusBench.milliseconds(ContinuousClock.now - start)
        try check(process, errorData)
        return elapsed
    }

    func runFirstLine() throws {
        let process = makeProcess()
        let output = Pipe()
        let errorPath = NSTemporaryDirectory() + "sky-bench-\(getpid()).err"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        guard let errors = FileHandle(forWritingAtPath: errorPath) else {
            throw BenchError.cannotRun("cannot create \(errorPath)")
        }
        process.standardOutput = output
        process.standardError = errors
        let start = ContinuousClock.now
        try launch(process)
        var first: Double?
        var buffer = ""
        let handle = output.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            guard first == nil else { continue }
            buffer += String(decoding: chunk, as: UTF8.self)
            let lines = buffer.split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines.dropLast() where match.map({ line.contains($0) }) ?? !line.isEmpty {
                first = CorpusBench.milliseconds(ContinuousClock.now - start)
                break
            }
        }
        process.waitUntilExit()
        let total = CorpusBench.milliseconds(ContinuousClock.now - start)
        try? errors.close()
        let errorData = FileManager.default.contents(atPath: errorPath) ?? Data()
        try check(process, errorData)
        guard let first else {
            throw BenchError.cannotRun("no output line" + (match.map { " containing \($0)" } ?? ""))
        }
        print(String(format: "first_ms=%.1f total_ms=%.1f", first, total))
    }

    private func makeProcess() -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.resolve(argv[0]))
        process.arguments = Array(argv.dropFirst())
        process.standardInput = FileHandle.nullDevice
        return process
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

    private func launch(_ process: Process) throws {
        do {
            try process.run()
        } catch {
            throw BenchError.cannotRun("cannot run \(argv[0]): \(error.localizedDescription)")
        }
    }

    private func check(_ process: Process, _ errorData: Data) throws {
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = String(decoding: errorData, as: UTF8.self)
            let firstLine = text.split(separator: "\n").first.map { String($0.prefix(80)) } ?? ""
            let how = process.terminationReason == .exit ? "exit \(process.terminationStatus)" : "crashed"
            throw BenchError.cannotRun(how + (firstLine.isEmpty ? "" : ": \(firstLine)"))
        }
    }
}
