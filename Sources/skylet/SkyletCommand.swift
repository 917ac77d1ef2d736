import ArgumentParser
import Foundation
import Skylet

/// `skylet`: the on-node agent. Its subcommands are the engine's machine interface (JSON out).
@main
struct SkyletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skylet",
        abstract: "Sky's on-node agent: job queue, job drivers, logs and autostop.",
        subcommands: [
            Version.self, Start.self, WriteCluster.self, Submit.self, Queue.self, Status.self,
            Cancel.self,
            Logs.self, DaemonCommand.self, SetAutostop.self, AutostopState.self, Teardown.self,
            RunJob.self,
        ])

    static func main() {
        if let code = FastPath.run(Array(CommandLine.arguments.dropFirst())) {
            Foundation.exit(code)
        }
        main(nil)
    }
}

/// Prints a value as one line of JSON.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    printLine(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes a line to stdout at once (unbuffered, like the log lines that may follow it).
func printLine(_ text: String) {
    try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
}

/// Reads all of stdin.
func readStdin() -> Data {
    (try? FileHandle.standardInput.readToEnd()) ?? Data()
}

/// Runs `body`, printing a failure as `skylet: <message>` on stderr with exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as ExitCode { throw error } catch {
        try? FileHandle.standardError.write(contentsOf: Data("skylet: \(error)\n".utf8))
        throw ExitCode(1)
    }
}
