import Logging
import SkyKubeAPI

/// Records core/v1 Events on resources (`kubectl describe` shows them). Failures to record
/// are logged, never fatal.
struct EventRecorder: Sendable {
    let kube: KubeClient
    let instance: String
    let logger: Logger

    func normal<T: KubeResource>(_ object: T, reason: String, _ message: String) async {
        await record(object, type: "Normal", reason: reason, message)
    }

    func warning<T: KubeResource>(_ object: T, reason: String, _ message: String) async {
        await record(object, type: "Warning", reason: reason, message)
    }

    private func record<T: KubeResource>(
        _ object: T, type: String, reason: String, _ message: String
    ) async {
        let event = KubeEvent(
            about: object, type: type, reason: reason, message: String(message.prefix(1000)),
            component: SkyGroup.component, instance: instance)
        do {
            _ = try await kube.create(event)
        } catch {
            logger.warning(
                "could not record event", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }
}
