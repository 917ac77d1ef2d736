import ArgumentParser
import Foundation
import SkyCatalog
import SkyCore
import SkyEngine

extension Catalog {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Download the latest catalogs into ~/.sky/catalogs/v8/.",
            discussion: """
                Fetches <cloud>/vms.csv of each cloud (aws, azure, gcp, lambda, runpod when none \
                is named) and common/accelerators.csv, common/metadata.csv from SkyPilot's catalog \
                repository, or from $SKY_CATALOG_URL (the folder holding v8/). A file replaces the \
                copy in use only once downloaded completely with a valid header; a failed download \
                keeps the old file. Exits 1 when a download failed.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Argument(
            help: ArgumentHelp(
                "Clouds to update (default: every catalog cloud).", valueName: "cloud"))
        var clouds: [String] = []

        func run() async throws {
            let result: (base: String, outcomes: [CatalogUpdateOutcome])
            do {
                result = try await Console.withProgress("Downloading catalogs") {
                    try await global.engine().updateCatalogs(clouds: clouds)
                }
            } catch let error as CatalogError {
                throw CLIError.usage(error.description)
            }
            if output.isJSON {
                Console.printJSON(.array(result.outcomes.map(Self.json)))
            } else {
                Console.print("Catalogs from \(result.base):")
                let width = result.outcomes.map(\.file.relativePath.count).max() ?? 0
                for outcome in result.outcomes {
                    let name = outcome.file.relativePath.padding(
                        toLength: width, withPad: " ", startingAt: 0)
                    Console.print("  \(name)  \(Self.describe(outcome))")
                }
            }
            let failed = result.outcomes.filter(\.failed)
            if !failed.isEmpty {
                Console.error(
                    "sky: \(failed.count) of \(result.outcomes.count) catalog files could not be updated "
                        + "(\(failed.map(\.file.relativePath).joined(separator: ", "))); the files in use are unchanged."
                )
                throw CLIError.reported
            }
        }

        static func describe(_ outcome: CatalogUpdateOutcome) -> String {
            switch outcome.result {
            case .updated(let rows, let bytes):
                let size =
                    bytes >= 1_000_000
                    ? String(format: "%.1f MB", Double(bytes) / 1_000_000)
                    : String(format: "%.1f kB", Double(bytes) / 1000)
                return "updated: \(rows) rows, \(size)"
            case .notPublished:
                return "not published there; keeping " + inUse(outcome)
            case .failed(let reason):
                return "FAILED: \(reason); keeping " + inUse(outcome)
            }
        }

        static func inUse(_ outcome: CatalogUpdateOutcome) -> String {
            guard let source = outcome.inUse else {
                let cloud = outcome.file.cloud.map {
                    $0 + " cannot be planned until an update succeeds"
                }
                return "nothing (" + (cloud ?? "no copy") + ")"
            }
            return source.bundled ? "the bundled copy" : "the cached copy (\(source.path))"
        }

        static func json(_ outcome: CatalogUpdateOutcome) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("file", .string(outcome.file.relativePath)), ("url", .string(outcome.url)),
            ]
            switch outcome.result {
            case .updated(let rows, let bytes):
                fields += [
                    ("status", .string("updated")), ("rows", .int(rows)), ("bytes", .int(bytes)),
                ]
            case .notPublished:
                fields.append(("status", .string("not_published")))
            case .failed(let reason):
                fields += [("status", .string("failed")), ("error", .string(reason))]
            }
            let source = outcome.inUse.map { $0.bundled ? "bundled" : "cached" } ?? "missing"
            fields.append(("in_use", .string(source)))
            return .object(fields)
        }
    }
}
