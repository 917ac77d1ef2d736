import SkyKubeAPI

/// `skyclusters.sky.dev`: a Sky cluster launched from `spec.task` (a SkyPilot task YAML).
package struct SkyCluster: KubeResource {
    package static let resourceType = ResourceType(
        group: SkyGroup.group, version: SkyGroup.version, kind: "SkyCluster", plural: "skyclusters")

    package var apiVersion: String? = SkyGroup.apiVersion
    package var kind: String? = "SkyCluster"
    package var metadata: ObjectMeta
    package var spec: Spec
    package var status: Status?

    package struct Spec: Codable, Sendable, Hashable {
        package var task: KubeJSON?
        package var envFrom: [EnvFromSource]?
        package var clusterName: String?

        package init(task: KubeJSON?, envFrom: [EnvFromSource]? = nil, clusterName: String? = nil) {
            self.task = task
            self.envFrom = envFrom
            self.clusterName = clusterName
        }
    }

    package struct Status: Codable, Sendable, Hashable {
        package var observedGeneration: Int?
        /// Pending, Launching, Up, Failed, Terminating.
        package var phase: String?
        package var conditions: [Condition]?
        package var clusterName: String?
        package var infra: String?
        package var resources: String?
        package var nodes: Int?
        package var message: String?
        /// The engine's handle of the cluster (opaque, no secrets): how a restarted operator
        /// with an empty state directory finds the cluster again.
        package var handle: String?

        package init() {}
    }

    package init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// The Sky cluster name: `spec.clusterName`, else `<namespace>-<name>`.
    package var skyName: String {
        spec.clusterName ?? "\(metadata.namespace ?? "default")-\(name)"
    }
}

extension SkyCluster {
    package enum Phase {
        package static let pending = "Pending"
        package static let launching = "Launching"
        package static let up = "Up"
        package static let failed = "Failed"
        package static let terminating = "Terminating"
    }
}
