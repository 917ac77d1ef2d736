import Foundation
import SkyCore
import SkyEngine

/// Loads and validates every corpus file in-process and reports the total and per-file median.
struct CorpusBench {
    var yamls = "Tests/Fixtures/corpus/yamls"
    var expected: String?
    var passes = 3

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError.usage("\(flag) needs a value") }
            switch flag {
            case "--yamls": yamls = value
            case "--expected": expected = value
            case "--passes":
                guard let n = Int(value), n >= 1 else { throw BenchError.usage("--passes needs a positive number") }
                passes = n
            default: throw BenchError.usage("unknown option \(flag)")
            }
        }
    }

    func run() throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: yamls)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !names.isEmpty else { throw BenchError.noFiles(yamls) }
        let expectedDir = expected ?? ((yamls as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("expected")
        // Prepared before timing: the paths and the overrides the corpus tests apply.
        let inputs = names.map { name in
            (path: (yamls as NSString).appendingPathComponent(name), overrides: overrides(name, expectedDir))
        }
        let engine = SkyEngine.embedded()
        var first: (times: [Double], valid: Int) = ([], 0)
        var warmTotals: [Double] = []
        for pass in 0..<passes {
            var times: [Double] = []
            var valid = 0
            times.reserveCapacity(inputs.count)
            for input in inputs {
                let start = ContinuousClock.now
                if Self.validate(input.path, input.overrides, engine) { valid += 1 }
                times.append(Self.milliseconds(ContinuousClock.now - start))
            }
            if pass == 0 { first = (times, valid) } else { warmTotals.append(times.reduce(0, +)) }
        }
        let total = first.times.reduce(0, +)
        var line = String(
            format: "total_ms=%.1f median_ms=%.3f files=%d valid=%d invalid=%d", total,
            Self.median(first.times), inputs.count, first.valid, inputs.count - first.valid)
        if !warmTotals.isEmpty { line += String(format: " warm_total_ms=%.1f", Self.median(warmTotals)) }
        print(line)
    }

    /// What `sky validate FILE` does: parse + validate the task, then the catalog checks.
    static func validate(_ path: String, _ overrides: TaskOverrides, _ engine: SkyEngine) -> Bool {
        do {
            let document = try TaskLoader.load(path: path, overrides: overrides)
            for task in document.tasks { try engine.validateResources(task) }
            return true
        } catch {
            return false
        }
    }

    /// `--env` overrides from the recorded `with_dummy_envs` run, as in CorpusTests.
    func overrides(_ name: String, _ expectedDir: String) -> TaskOverrides {
        var overrides = TaskOverrides()
        let stem = (name as NSString).deletingPathExtension
        let url = URL(fileURLWithPath: expectedDir).appendingPathComponent(stem + ".json")
        guard let data = try? Data(contentsOf: url), let record = try? JSONValue.parse(data),
            case .object(let envs)? = record["with_dummy_envs"]?["overrides"]
        else { return overrides }
        overrides.env = envs.map { "\($0.0)=\($0.1.stringValue ?? "")" }
        return overrides
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
