import ArgumentParser
import Foundation
import SkyEngine
import SkyProvision

extension Plugins {
    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ping",
            abstract:
                "Time a plugin: start + handshake, then round trips of the no-op 'ping' call.",
            discussion:
                "Prints the start time and the median / p90 / min round trip of --count sequential calls."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Plugin name (as in 'sky plugins list').")
        var name: String

        @Option(
            name: [.customShort("n"), .customLong("count")], help: "Number of sequential calls.")
        var count = 1000

        func run() async throws {
            guard count > 0 else { throw CLIError.usage("--count must be at least 1") }
            let engine = global.engine()
            let wanted = name.lowercased()
            guard
                let candidate = engine.pluginDiscovery.active().first(where: { $0.name == wanted })
            else {
                throw CLIError.usage(
                    "no usable plugin named '\(name)'; 'sky plugins list' shows what was found")
            }
            let host = PluginHost(
                name: candidate.name, path: candidate.path, environment: engine.environment)
            let clock = ContinuousClock()
            do {
                let startedAt = clock.now
                let handshake = try await host.handshake()
                let startup = clock.now - startedAt
                for _ in 0..<min(20, count) { try await ping(host) }  // warm up
                var samples: [Duration] = []
                samples.reserveCapacity(count)
                for _ in 0..<count {
                    let before = clock.now
                    try await ping(host)
                    samples.append(clock.now - before)
                }
                await host.shutdown()
                samples.sort()
                func micro(_ d: Duration) -> String {
                    String(
                        format: "%.0f µs",
                        Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
                    )
                }
                let millis =
                    Double(startup.components.seconds) * 1e3 + Double(
                        startup.components.attoseconds) / 1e15
                Console.print(
                    "Plugin '\(candidate.name)' \(handshake.version ?? "") (\(candidate.path))")
                Console.print(String(format: "  start + handshake: %.1f ms", millis))
                Console.print(
                    "  \(count) round trip(s): median \(micro(samples[samples.count / 2])), "
                        + "p90 \(micro(samples[samples.count * 9 / 10])), min \(micro(samples[0])), "
                        + "max \(micro(samples[samples.count - 1]))")
            } catch {
                await host.shutdown()
                throw error
            }
        }

        /// One `ping`; a plugin without it answers `unsupported`, which is a full round trip too.
        private func ping(_ host: PluginHost) async throws(PluginError) {
            do {
                _ = try await host.call("ping", deadline: 10)
            } catch .remote(_, _, "unsupported", _, _) {
                return
            }
        }
    }
}
