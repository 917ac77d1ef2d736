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

    func load(
        task json: KubeJSON?, envFrom: [EnvFromSource]?, namespace: String, origin: String,
        dropRun: Bool = false
    ) async throws -> SkyCore.Task {
        guard var json, case .object(var fields) = json else {
            throw Invalid(description: "spec.task is missing or not a mapping (paste a SkyPilot task YAML under task:)")
        }
        if dropRun {
            fields.removeValue(forKey: "run")
            json = .object(fields)
        }
        let secrets = try await secretValues(envFrom ?? [], namespace: namespace)
        let overrides = TaskOverrides(secret: secrets.keys.sorted(), processEnvironment: secrets)
        do {
            let document = try TaskLoader.load(
                yaml: json.jsonText(), fileName: origin, baseDirectory: NSTemporaryDirectory(), overrides: overrides)
            guard case .task(let task) = document else {
                throw Invalid(description: "spec.task holds several tasks (a pipeline); one task per resource")
            }
            try task.validateForLaunch()
            return task
        } catch let error as TaskError {
            throw Invalid(description: "spec.task is not a valid task: \(error)")
        }
    }

    /// Every key of every referenced Secret (later references win).
    func secretValues(_ sources: [EnvFromSource], namespace: String) async throws -> [String: String] {
        var out: [String: String] = [:]
        for (index, source) in sources.enumerated() {
            guard let ref = source.secretRef else { continue }
            guard let secret = try await kube.get(Secret.self, namespace: namespace, name: ref.name) else {
                if ref.optional == true { continue }
                throw MissingSecret(secret: ref.name, namespace: namespace, field: "spec.envFrom[\(index)].secretRef.name")
            }
            for (key, value) in secret.values { out[key] = value }
        }
        return out
    }
}
