import ArgumentParser
import Foundation

/// The one place that turns errors into messages and exit codes.
///
/// - parse and validation errors (ArgumentParser, `ValidationError`, `CLIError.usage`): usage
///   text on stderr, exit 2 (help and `--version` print to stdout, exit 0);
/// - `ExitCode` thrown by a command (e.g. `JobExitCode.failed.exitCode`): that code, silently;
/// - `CLIError.notAvailable`: `sky <cmd>: not available yet in this build`, exit 2;
/// - any other error: `sky: <description>`, exit 1. No stack traces.
enum ExitCodes {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2

    /// Parses `arguments`, runs the chosen command and exits the process.
    static func main(_ arguments: [String]) async -> Never {
        let command: any ParsableCommand
        do {
            command = try Sky.parseAsRoot(arguments)
        } catch {
            exitForParseError(error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            exitForRunError(error)
        }
        exit(success)
    }

    /// Message and exit code for an error thrown by `run()`.
    static func outcome(of error: any Error) -> (message: String?, code: Int32) {
        switch error {
        case let code as ExitCode:
            return (nil, code.rawValue)
        case CLIError.reported:
            return (nil, failure)
        case let cliError as CLIError where cliError.isUsage:
            return (cliError.description, usage)
        default:
            return ("sky: \(String(describing: error))", failure)
        }
    }

    private static func exitForRunError(_ error: any Error) -> Never {
        // ArgumentParser's own errors (help via `sky help X`, CleanExit, ValidationError)
        // carry a code other than plain failure; print them the way parsing does.
        if !(error is ExitCode), !(error is CLIError), Sky.exitCode(for: error) != .failure {
            exitForParseError(error)
        }
        let (message, code) = outcome(of: error)
        if let message { Console.error(message) }
        exit(code)
    }

    private static func exitForParseError(_ error: any Error) -> Never {
        if let explicit = error as? ExitCode { exit(explicit.rawValue) }
        let code = Sky.exitCode(for: error)
        let message = Sky.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { Console.print(message) }
            exit(success)
        }
        if !message.isEmpty { Console.error(message) }
        exit(code == .failure ? failure : usage)
    }
}
