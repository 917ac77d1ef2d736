import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer
import Testing

/// The choice SkyPilot 0.14.1 made for our request YAMLs (`Fixtures/requests/*.yaml`) with the
/// same bundled catalogs and GCP, Azure and Lambda enabled, recorded by running its optimizer
/// (`Fixtures/skypilot-0.14.1-choices.jsonl`): cloud, region, zone, instance type, spot flag,
/// accelerators and hourly cost must match.
@Suite struct ParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var record: [String: JSONValue]
        var testDescription: String { file }
    }

    static let expectations: [Expected] = {
        let url = fixtures.appendingPathComponent("skypilot-0.14.1-choices.jsonl")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let value = try? JSONValue.parse(Data(line.utf8)),
                case .object(let pairs) = value,
                let file = value["file"]?.stringValue
            else { return nil }
            return Expected(file: file, record: Dictionary(pairs, uniquingKeysWith: { a, _ in a }))
        }
    }()

    @Test func fixturesArePresent() {
        #expect(Self.expectations.count >= 40)
    }

    @Test(arguments: expectations)
    func sameChoiceAsSkyPilot(_ expected: Expected) throws {
        let path = Self.fixtures.appendingPathComponent("requests/\(expected.file)").path
        let task = try TaskLoader.load(path: path, overrides: TaskOverrides()).tasks[0]
        let optimizer = CatalogFixture.optimizer()
        if let error = expected.record["error"]?.stringValue {
            if error.hasPrefix("ResourcesUnavailableError") {
                #expect(throws: OptimizerError.self) {
                    try optimizer.plan(task: task, enabledClouds: ["gcp", "azure", "lambda"])
                }
            }
            return  // other errors: SkyPilot's reference install lacked a cloud SDK
        }
        let plan = try optimizer.plan(task: task, enabledClouds: ["gcp", "azure", "lambda"])
        let chosen = plan.chosen
        #expect(chosen.cloud == expected.record["cloud"]?.stringValue)
        #expect(chosen.region == expected.record["region"]?.stringValue)
        #expect(chosen.zone == expected.record["zone"]?.stringValue)
        #expect(chosen.instanceType == expected.record["instance_type"]?.stringValue)
        #expect(.bool(chosen.useSpot) == expected.record["use_spot"])
        if case .double(let cost)? = expected.record["cost"] {
            #expect(abs(chosen.hourlyCost - cost) < 1e-9)
        } else if case .int(let cost)? = expected.record["cost"] {
            #expect(abs(chosen.hourlyCost - Double(cost)) < 1e-9)
        }
        if case .object(let accs)? = expected.record["accelerators"], let (name, count) = accs.first
        {
            #expect(chosen.accelerator?.name == name)
            #expect(.double(chosen.accelerator?.count ?? 0) == count)
        } else {
            #expect(chosen.accelerator == nil)
        }
    }
}
