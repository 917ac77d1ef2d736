import Foundation
import SkyCore
import Testing

/// Differential test against SkyPilot 0.14.1's own results for the 381 corpus files
/// (`Tests/Fixtures/corpus/expected`): same accept/reject, same normalized task.
struct CorpusTests {
    /// Files where we knowingly differ from SkyPilot, with the reason.
    static let allowList: [String: String] = [:]

    /// Edge cases where we knowingly differ, with the reason.
    static let edgeAllowList: [String: String] = [
        "labels_anyof.yaml":
            "SkyPilot 0.14.1 shares one labels dict between any_of candidates, so every candidate ends "
            + "with all overrides merged (a bug); we follow the documented semantics: each candidate "
            + "merges only its own labels over the base (NOTES.md)."
    ]

    struct Outcome {
        var name: String
        var problem: String?
    }

    static func run(_ name: String, shapes: CatalogShapes, set: String = "main") -> Outcome? {
        guard let record = CorpusSupport.expected(name, set: set) else {
            return Outcome(name: name, problem: "no expected record")
        }
        if record["offline_catalog_error"] == .bool(true) { return nil }
        var reference = record
        var overrides = TaskOverrides()
        if let dummy = record["with_dummy_envs"], case .object(let envs)? = dummy["overrides"] {
            reference = dummy
            overrides.env = envs.map { "\($0.0)=\($0.1.stringValue ?? "")" }
        }
        let expectOK = reference["ok"] == .bool(true)
        let document: TaskDocument
        do {
            document = try TaskLoader.load(
                yaml: CorpusSupport.yaml(name, set: set), fileName: name,
                baseDirectory: "/nonexistent", overrides: overrides,
                shapes: shapes)
        } catch {
            if expectOK { return Outcome(name: name, problem: "rejected: \(error)") }
            return Outcome(name: name, problem: nil)
        }
        guard expectOK else {
            let message = reference["error"]?["message"]?.stringValue ?? ""
            return Outcome(
                name: name, problem: "accepted, SkyPilot rejects: \(message.prefix(160))")
        }
        let json = document.validateJSON()
        let pairs: [(JSONValue?, JSONValue?)]
        if let expectedDag = reference["dag"] {
            guard let dag = json["dag"] else {
                return Outcome(name: name, problem: "expected a dag, got a task")
            }
            if dag["name"] != expectedDag["name"] {
                return Outcome(
                    name: name,
                    problem:
                        "dag name \(String(describing: dag["name"])) != \(String(describing: expectedDag["name"]))"
                )
            }
            guard case .array(let got)? = dag["tasks"],
                case .array(let want)? = expectedDag["tasks"], got.count == want.count
            else {
                return Outcome(name: name, problem: "dag task count differs")
            }
            pairs = zip(got, want).map { ($0, $1) }
        } else {
            pairs = [(json["task"], reference["task"])]
        }
        for (got, want) in pairs {
            let g = CorpusSupport.normalize(got ?? .null)
            let w = CorpusSupport.normalize(want ?? .null)
            if let diff = CorpusSupport.firstDifference(g, w) {
                return Outcome(name: name, problem: "task differs at \(diff)")
            }
        }
        return Outcome(name: name, problem: nil)
    }

    @Test func corpusAgreesWithSkyPilot() {
        let shapes = CatalogShapes()
        let names = CorpusSupport.yamlNames()
        #expect(names.count == 381)
        var compared = 0
        var problems: [String] = []
        for name in names {
            guard let outcome = Self.run(name, shapes: shapes) else { continue }
            compared += 1
            if let problem = outcome.problem, Self.allowList[name] == nil {
                problems.append("\(name): \(problem)")
            } else if outcome.problem == nil, Self.allowList[name] != nil {
                problems.append("\(name): allow-listed but agrees; remove the entry")
            }
        }
        print(
            "corpus: \(compared) compared, \(compared - problems.count) agree, \(problems.count) differ"
        )
        for p in problems { print("  DIFF \(p)") }
        #expect(problems.isEmpty)
        #expect(compared == 372)
    }

    /// Hand-written edge cases (`Tests/Fixtures/corpus/edge`), recorded with SkyPilot 0.14.1.
    @Test func edgeCasesAgreeWithSkyPilot() {
        let shapes = CatalogShapes()
        let names = CorpusSupport.yamlNames(set: "edge")
        #expect(names.count >= 50)
        var compared = 0
        var problems: [String] = []
        for name in names {
            guard let outcome = Self.run(name, shapes: shapes, set: "edge") else { continue }
            compared += 1
            if let problem = outcome.problem, Self.edgeAllowList[name] == nil {
                problems.append("\(name): \(problem)")
            } else if outcome.problem == nil, Self.edgeAllowList[name] != nil {
                problems.append("\(name): allow-listed but agrees; remove the entry")
            }
        }
        print(
            "edge: \(compared) compared, \(compared - problems.count) agree, \(problems.count) differ"
        )
        for p in problems { print("  DIFF \(p)") }
        #expect(problems.isEmpty)
    }
}
