import Foundation
import SkyCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Output meant for people. Results go to stdout; errors, prompts and progress go to stderr.
enum Console {
    /// Prints a line of results to stdout.
    static func print(_ line: String = "", terminator: String = "\n") {
        write(line + terminator, to: STDOUT_FILENO)
    }

    /// Prints a line of a job's log to stdout: a progress bar's "\r" segment without a
    /// newline, so it redraws its line as it did on the node (`LineSplitter`).
    static func printLogLine(_ line: String) {
        write(LineSplitter.terminated(line), to: STDOUT_FILENO)
    }

    /// Prints a JSON value to stdout (pretty, keys in insertion order unless `sortedKeys`).
    static func printJSON(_ value: JSONValue, sortedKeys: Bool = false) {
        print(value.encoded(sortedKeys: sortedKeys, pretty: true))
    }

    /// Prints a line to stderr.
    static func error(_ line: String) {
        write(line + "\n", to: STDERR_FILENO)
    }

    /// Prints `sky: warning: <message>` to stderr.
    static func warning(_ message: String) {
        error("sky: warning: \(message)")
    }

    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Asks a yes/no question on stderr and reads the answer from stdin. Returns true at once when
    /// `assumeYes` (`-y`); returns false (with a hint to pass -y) when stdin is not a terminal.
    static func confirm(_ prompt: String, assumeYes: Bool = false) -> Bool {
        if assumeYes { return true }
        guard stdinIsTerminal else {
            error("sky: \(prompt) Not asking without a terminal; pass -y to confirm.")
            return false
        }
        write("\(prompt) [y/N]: ", to: STDERR_FILENO)
        guard let answer = readLine(strippingNewline: true) else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Runs `body` while showing `message` with a spinner on stderr once it has taken more than
    /// a second. Shows nothing when stderr is not a terminal.
    static func withProgress<T, E: Error>(
        _ message: String, _ body: () async throws(E) -> T
    ) async throws(E) -> T {
        guard stderrIsTerminal else { return try await body() }
        let spinner = _Concurrency.Task { await spin(message) }
        let result: Result<T, E>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        spinner.cancel()
        await spinner.value
        return try result.get()
    }

    private static func spin(_ message: String) async {
        do {
            try await _Concurrency.Task.sleep(for: .seconds(1))
        } catch {
            return
        }
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        var index = 0
        while !_Concurrency.Task.isCancelled {
            write("\r\(frames[index % frames.count]) \(message)", to: STDERR_FILENO)
            index += 1
            do {
                try await _Concurrency.Task.sleep(for: .milliseconds(100))
            } catch {
                break
            }
        }
        write("\r\u{1B}[2K", to: STDERR_FILENO)
    }

    /// A reader that went away (`sky logs ... | head`) ends sky as SIGPIPE would have (sky
    /// ignores SIGPIPE once it runs a child, and FileHandle's write would trap instead).
    private static func write(_ text: String, to fd: Int32) {
        if FDIO.writeAll(fd, Data(text.utf8)) == EPIPE { exit(128 + SIGPIPE) }
    }
}
