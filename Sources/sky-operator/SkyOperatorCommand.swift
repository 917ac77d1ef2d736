import Dispatch
import Foundation
import Logging
import SkyOperator

#if canImport(Glibc)
    import Glibc
#endif

/// sky-operator: reconciles SkyCluster / SkyJob / SkyService custom resources (sky.dev/v1alpha1).
@main
struct SkyOperatorCommand {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(OperatorOptions.usage, terminator: "")
            exit(0)
        }
        let options: OperatorOptions
        do {
            options = try OperatorOptions.parse(
                arguments, environment: ProcessInfo.processInfo.environment)
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("sky-operator: \(error)\n".utf8))
            exit(2)
        }
        let level = ProcessInfo.processInfo.environment["SKY_OPERATOR_LOG_LEVEL"].flatMap(
            Logger.Level.init(rawValue:))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level ?? .info
            return handler
        }
        let logger = Logger(label: "sky-operator")
        let runtime = OperatorRuntime(options: options, logger: logger)
        let run = Task { try await runtime.run() }
        // SIGTERM / SIGINT: stop reconciling, release the lease, exit 0.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in
                logger.info("signal received; shutting down", metadata: ["signal": "\(number)"])
                run.cancel()
            }
            source.resume()
            return source
        }
        do {
            try await run.value
            withExtendedLifetime(sources) {}
            exit(0)
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("sky-operator: \(error)\n".utf8))
            exit(1)
        }
    }
}
