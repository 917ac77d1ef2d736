/// Small custom-resource manifests for the tests.
enum Manifest {
    /// `spec` is YAML at the indentation of the spec's keys (2 spaces).
    static func resource(_ kind: String, _ name: String, spec: String) -> String {
        "apiVersion: sky.dev/v1alpha1\nkind: \(kind)\nmetadata:\n  name: \(name)\nspec:\n\(spec)\n"
    }

    /// A SkyPilot task YAML pasted unchanged under `spec.task`.
    static func task(_ yaml: String, extraSpec: String = "") -> String {
        let body = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
        return "  task:\n" + body + (extraSpec.isEmpty ? "" : "\n" + extraSpec)
    }
}
