import Foundation
import SkyCore
import SkyKubeAPI

/// Turns a custom resource's `spec.task` (a SkyPilot task YAML as JSON) and its `envFrom`
/// Secrets into a SkyCore task. Secret values go in as task secrets (through the loader's
/// `--secret K` path with an environment of their own), never into argv or logs.
struct TaskSource: Sendable {
    let kube: KubeClient

    /// An invalid task: terminal until the spec changes.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// A Secret named in `envFrom` does not exist (yet): retried with backoff, so creating it
    /// later lets the resource converge. `reason` is the condition reason.
    struct MissingSecret: Error, CustomStringConvertible {
        var secret: String
        var namespace: String
        /// `spec.envFrom[i].secretRef.name`.
        var field: String
        var reason: String { "SecretNotFound" }
        var description: String {
            "Secret '\(secret)' (\(field)) does not exist in namespace \(namespace); retrying with backoff. Create it (kubectl create secret generic \(secret) -n \(namespace) --from-literal=KEY=VALUE) or mark the reference optional: true."
        }
    }

    /// `applied`: the `kubectl.kubernetes.io/last-applied-configuration` annotation, when
    /// kubectl applied the resource. A 1.20 API server silently drops fields its schema does
    /// not know (only kubectl's client-side validation rejects them, and `--validate=false`
    /// skips that): when the applied `spec.task` has keys the stored one lacks and is itself
    /// not a valid task, the resource is refused instead of launching a different task.
    func load(
        task json: KubeJSON?, envFrom: [EnvFromSource]?, namespace: String, origin: String,
        applied: String? = nil, dropRun: Bool = false
    ) async throws -> SkyCore.Task {
        guard var json, case .object(var fields) = json else {
            throw Invalid(
                description:
                    "spec.task is missing or not a mapping (paste a SkyPilot task YAML under task:)"
            )
        }
        if let applied, let original = Self.appliedTask(applied) {
            try Self.checkNothingDropped(original: original, stored: json, origin: origin)
        }
        if dropRun {
            fields.removeValue(forKey: "run")
            json = .object(fields)
        }
        let secrets = try await secretValues(envFrom ?? [], namespace: namespace)
        let overrides = TaskOverrides(secret: secrets.keys.sorted(), processEnvironment: secrets)
        do {
            let document = try TaskLoader.load(
                yaml: json.jsonText(), fileName: origin, baseDirectory: NSTemporaryDirectory(),
                overrides: overrides)
            guard case .task(let task) = document else {
                throw Invalid(
                    description: "spec.task holds several tasks (a pipeline); one task per resource"
                )
            }
            try task.validateForLaunch()
            return task
        } catch let error as TaskError {
            throw Invalid(description: "spec.task is not a valid task: \(error)")
        }
    }

    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Throws `Invalid` when keys of the applied task are gone from the stored one and the
    /// applied task is not valid (a key removed later by a patch is a valid change).
    static func checkNothingDropped(original: KubeJSON, stored: KubeJSON, origin: String) throws {
        let dropped = droppedKeys(from: original, in: stored)
        guard !dropped.isEmpty else { return }
        let problem: String
        do {
            _ = try TaskLoader.load(
                yaml: original.jsonText(), fileName: origin, baseDirectory: NSTemporaryDirectory(),
                overrides: TaskOverrides(secret: [], processEnvironment: [:]))
            return
        } catch {
            problem = "\(error)"
        }
        throw Invalid(
            description: """
                the API server dropped \(dropped.map { "spec.task.\($0)" }.joined(separator: ", ")) (unknown to the \
                CRD schema: Kubernetes 1.20 prunes such fields instead of rejecting them, and this resource was applied \
                without kubectl's validation); the task as written is not valid: \(problem)
                """)
    }

    /// `spec.task` of a last-applied-configuration annotation.
    static func appliedTask(_ annotation: String) -> KubeJSON? {
        guard let object = try? JSONDecoder().decode(KubeJSON.self, from: Data(annotation.utf8))
        else { return nil }
        return object["spec"]?["task"]
    }

    /// Dotted paths of the keys of `original` missing from `stored` (nested maps and lists).
    static func droppedKeys(from original: KubeJSON, in stored: KubeJSON, prefix: String = "")
        -> [String]
    {
        switch (original, stored) {
        case (.object(let before), .object(let after)):
            return before.keys.sorted().flatMap { key -> [String] in
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                guard let kept = after[key], let value = before[key] else { return [path] }
                return droppedKeys(from: value, in: kept, prefix: path)
            }
        case (.array(let before), .array(let after)) where before.count == after.count:
            return zip(before, after).enumerated().flatMap { index, pair in
                droppedKeys(from: pair.0, in: pair.1, prefix: "\(prefix)[\(index)]")
            }
        default:
            return []
        }
    }

    /// Every key of every referenced Secret (later references win).
    func secretValues(_ sources: [EnvFromSource], namespace: String) async throws -> [String:
        String]
    {
        var out: [String: String] = [:]
        for (index, source) in sources.enumerated() {
            guard let ref = source.secretRef else { continue }
            guard let secret = try await kube.get(Secret.self, namespace: namespace, name: ref.name)
            else {
                if ref.optional == true { continue }
                throw MissingSecret(
                    secret: ref.name, namespace: namespace,
                    field: "spec.envFrom[\(index)].secretRef.name")
            }
            for (key, value) in secret.values { out[key] = value }
        }
        return out
    }
}
