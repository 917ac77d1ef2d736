import SkyKubeAPI

/// SkyService: there is no serve engine yet, so a service is rejected with a clear condition
/// (phase Failed, Ready=False reason ServeNotAvailable) instead of being faked.
struct SkyServiceReconciler: Reconciler {
    let context: OperatorContext
    var kind: String { "SkyService" }

    static let message =
        "Sky has no serve engine yet (sky serve is not implemented in this build); the SkyService is not reconciled. Run the service as a SkyCluster task for now."

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard
            let service = context.services.object(.init(namespace: key.namespace, name: key.name)),
            !service.metadata.isDeleting
        else { return .done }
        let generation = service.metadata.generation
        var status = service.status ?? SkyService.Status()
        status.observedGeneration = generation
        status.phase = "Failed"
        if service.spec.task?["service"] == nil {
            status.message =
                "spec.task has no service: section; a SkyService needs one. " + Self.message
        } else {
            status.message = Self.message
        }
        status.conditions.set(
            Condition(
                type: "Ready", status: false, reason: "ServeNotAvailable",
                message: status.message ?? "", observedGeneration: generation))
        guard status != service.status else { return .done }
        try await context.kube.replaceStatus(
            SkyService.self, namespace: service.namespace, name: service.name, from: service.status,
            to: status)
        await context.events.warning(service, reason: "ServeNotAvailable", Self.message)
        return .done
    }
}
