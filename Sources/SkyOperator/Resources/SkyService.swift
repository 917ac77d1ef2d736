import SkyKubeAPI

/// `skyservices.sky.dev`: a service (`spec.task.service`). No serve engine exists yet, so the
/// operator rejects it with a condition instead of pretending to serve.
package struct SkyService: KubeResource {
    package static let resourceType = ResourceType(
        group: SkyGroup.group, version: SkyGroup.version, kind: "SkyService", plural: "skyservices")

    package var apiVersion: String? = SkyGroup.apiVersion
    package var kind: String? = "SkyService"
    package var metadata: ObjectMeta
    package var spec: Spec
    package var status: Status?

    package struct Spec: Codable, Sendable, Hashable {
        package var task: KubeJSON?
        package var envFrom: [EnvFromSource]?
        package init(task: KubeJSON?) { self.task = task }
    }

    package struct Status: Codable, Sendable, Hashable {
        package var observedGeneration: Int?
        package var phase: String?
        package var conditions: [Condition]?
        package var message: String?
        package init() {}
    }

    package init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }
}
