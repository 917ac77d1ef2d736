import Foundation
import SkyCore
import Testing

/// `Task.validateForLaunch()` against `expected_validate/`: where SkyPilot's launch path rejects a
/// file at the workdir / file_mounts / name / run stage we reject it at the same stage; where it
/// passes those stages, so do we. (Resource catalog checks belong to the optimizer.)
struct LaunchStageTests {
    @Test func launchStagesAgreeWithSkyPilot() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-launch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var compared = 0
        var problems: [String] = []
        for name in CorpusSupport.yamlNames() {
            guard let record = CorpusSupport.expected(name, folder: "expected_validate"),
                record["parsed"] == .bool(true)
            else { continue }
            let expectedStage: String? =
                record["ok"] == .bool(true) ? nil : record["error"]?["stage"]?.stringValue
            if expectedStage == "resources" || (expectedStage == nil && record["ok"] != .bool(true))
            {
                continue
            }
            let message = record["error"]?["message"]?.stringValue ?? ""
            // A home-relative path that happens to exist on this machine cannot fail here.
            if message.contains("~/"),
                let range = message.range(of: #"~/[^' ]+"#, options: .regularExpression),
                FileManager.default.fileExists(
                    atPath: (String(message[range]) as NSString).expandingTildeInPath)
            {
                continue
            }
            var overrides = TaskOverrides()
            if let dummy = CorpusSupport.expected(name)?["with_dummy_envs"],
                case .object(let envs)? = dummy["overrides"]
            {
                overrides.env = envs.map { "\($0.0)=\($0.1.stringValue ?? "")" }
            }
            guard
                let document = try? TaskLoader.load(
                    yaml: CorpusSupport.yaml(name), fileName: name, baseDirectory: scratch.path,
                    overrides: overrides)
            else {
                problems.append("\(name): does not parse")
                continue
            }
            compared += 1
            var gotStage: String?
            for task in document.tasks {
                do {
                    try task.validateForLaunch()
                } catch {
                    gotStage = error.stage
                    break
                }
            }
            if gotStage != expectedStage {
                problems.append(
                    "\(name): stage \(gotStage ?? "pass") expected \(expectedStage ?? "pass")")
            }
        }
        print("launch stages: \(compared) compared, \(problems.count) differ")
        for p in problems { print("  DIFF \(p)") }
        #expect(problems.isEmpty)
        #expect(compared > 250)
    }
}
