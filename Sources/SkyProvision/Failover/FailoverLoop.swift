import SkyCore

/// Walks ranked candidates until one backend provisions the cluster (reference 5.3): each
/// failure blocks its zone / region / backend according to the error code, a failed attempt
/// on a new cluster is torn down, and when nothing is left the error carries the history.
public struct FailoverLoop: Sendable {
    /// What to provision, independent of the candidate.
    public struct Request: Sendable {
        public var clusterName: String
        public var userName: String
        public var userHash: String
        public var count: Int
        public var useSpot: Bool
        public var ports: [String]
        public var labels: [String: String]
        public var privateKeyPath: String?
        /// The cluster existed before (UP/STOPPED): never tear it down on failure.
        public var existing: Bool
        /// Loop forever (with `retryDelay` between rounds) instead of failing.
        public var retryUntilUp: Bool
        /// Stop at the first failure.
        public var noFailover: Bool
        /// The task's resources and `config:` section, from which each backend derives its
        /// `providerConfig` (see `Provisioner.providerConfig(resources:taskConfig:)`).
        public var resources: Resources
        public var taskConfig: JSONValue?
        /// Per candidate, the entry of the task's `any_of` / `ordered` resources it came from:
        /// its image, spot, ports and labels apply to that candidate's attempt (a candidate
        /// missing here uses `resources`, `useSpot`, `ports` and `labels`).
        public var candidateResources: [Offering: Resources]

        public init(
            clusterName: String, userName: String, userHash: String, count: Int,
            useSpot: Bool = false, ports: [String] = [], labels: [String: String] = [:],
            privateKeyPath: String? = nil, existing: Bool = false, retryUntilUp: Bool = false,
            noFailover: Bool = false, resources: Resources = Resources(),
            taskConfig: JSONValue? = nil, candidateResources: [Offering: Resources] = [:]
        ) {
            self.clusterName = clusterName
            self.userName = userName
            self.userHash = userHash
            self.count = count
            self.useSpot = useSpot
            self.ports = ports
            self.labels = labels
            self.privateKeyPath = privateKeyPath
            self.existing = existing
            self.retryUntilUp = retryUntilUp
            self.noFailover = noFailover
            self.resources = resources
            self.taskConfig = taskConfig
            self.candidateResources = candidateResources
        }
    }

    /// A successful provisioning.
    public struct Outcome: Sendable {
        public var provisioner: any Provisioner
        public var offering: Offering
        public var config: ProvisionConfig
        public var record: ProvisionRecord
        public var info: ClusterInfo
        /// Failed attempts before the success.
        public var history: [FailoverAttempt]
    }

    public let registry: ProvisionerRegistry
    public let retryDelay: Duration
    /// Called with the config right before `runInstances` (the engine records INIT there).
    public let willRun: @Sendable (ProvisionConfig) async -> Void

    public init(
        registry: ProvisionerRegistry, retryDelay: Duration = .seconds(10),
        willRun: @escaping @Sendable (ProvisionConfig) async -> Void = { _ in }
    ) {
        self.registry = registry
        self.retryDelay = retryDelay
        self.willRun = willRun
    }

    public func provision(_ request: Request, candidates: [Offering]) async throws -> Outcome {
        guard !candidates.isEmpty else {
            throw FailoverError.noCandidates(cluster: request.clusterName)
        }
        var history: [FailoverAttempt] = []
        while true {
            var blocked = BlockedResources()
            for offering in candidates where !blocked.isBlocked(offering) {
                try _Concurrency.Task.checkCancellation()
                let provisioner: any Provisioner
                do {
                    provisioner = try await registry.require(offering.cloud)
                } catch {
                    let attempt = FailoverAttempt(offering: offering, error: error, blocked: .cloud)
                    history.append(attempt)
                    blocked.block(offering, scope: .cloud)
                    continue
                }
                let config: ProvisionConfig
                do throws(ProvisionError) {
                    config = try makeConfig(request, offering, provisioner)
                } catch {
                    // The task's settings are invalid for this backend: no attempt, no teardown.
                    history.append(
                        FailoverAttempt(offering: offering, error: error, blocked: .cloud))
                    ProvisionProgress.say("Skipping \(place(offering)): \(error.message)")
                    blocked.block(offering, scope: .cloud)
                    continue
                }
                do throws(ProvisionError) {
                    let outcome = try await attempt(provisioner, config, offering)
                    return Outcome(
                        provisioner: provisioner, offering: offering, config: outcome.0,
                        record: outcome.1, info: outcome.2, history: history)
                } catch {
                    var scope = BlockScope.forError(error)
                    if scope == .zone, offering.zone == nil { scope = .region }
                    let attempt = FailoverAttempt(offering: offering, error: error, blocked: scope)
                    history.append(attempt)
                    ProvisionProgress.say("Failed on \(place(offering)): \(error.message)")
                    try await tearDown(provisioner, config, request, attempt)
                    blocked.block(offering, scope: scope)
                    if request.noFailover {
                        throw FailoverError.exhausted(
                            cluster: request.clusterName, history: history)
                    }
                }
            }
            guard request.retryUntilUp else {
                throw FailoverError.exhausted(cluster: request.clusterName, history: history)
            }
            ProvisionProgress.say(
                "No candidate worked; retrying in \(retryDelay) (--retry-until-up).")
            try await _Concurrency.Task.sleep(for: retryDelay)
        }
    }

    private func attempt(
        _ provisioner: any Provisioner, _ config: ProvisionConfig, _ offering: Offering
    ) async throws(ProvisionError) -> (ProvisionConfig, ProvisionRecord, ClusterInfo) {
        ProvisionProgress.say("Launching on \(place(offering)) (\(offering.instanceType)) ...")
        if config.count > 1, !provisioner.supports(.multiNode) {
            throw .unsupported("The \(provisioner.name) backend runs single-node clusters only.")
        }
        if config.useSpot, !provisioner.supports(.spot) {
            throw .unsupported("The \(provisioner.name) backend has no spot instances.")
        }
        let bootstrapped = try await provisioner.bootstrap(config)
        await willRun(bootstrapped)
        let record = try await provisioner.runInstances(bootstrapped)
        let locator = ClusterLocator(bootstrapped)
        try await provisioner.waitInstances(locator, state: .up)
        if !bootstrapped.ports.isEmpty {
            try await provisioner.openPorts(locator, ports: bootstrapped.ports)
        }
        let info = try await provisioner.clusterInfo(locator)
        guard info.instances.count >= config.count else {
            throw .internal(
                "\(provisioner.name) reported \(info.instances.count) of \(config.count) nodes running."
            )
        }
        return (bootstrapped, record, info)
    }

    /// A failed attempt on a new cluster releases whatever it created.
    private func tearDown(
        _ provisioner: any Provisioner, _ config: ProvisionConfig, _ request: Request,
        _ attempt: FailoverAttempt
    ) async throws {
        guard !request.existing else { return }
        do throws(ProvisionError) {
            try await provisioner.terminateInstances(ClusterLocator(config), workerOnly: false)
        } catch {
            if case .notFound = error { return }
            throw FailoverError.teardownFailed(
                cluster: request.clusterName, attempt: attempt, cleanup: error)
        }
    }

    private func makeConfig(
        _ request: Request, _ offering: Offering, _ provisioner: any Provisioner
    ) throws(ProvisionError) -> ProvisionConfig {
        let entry = request.candidateResources[offering]
        let resources = entry ?? request.resources
        // A backend that cannot run the task's image would run it on the nodes' own system.
        if let image = resources.imageID.values.sorted().first,
            !provisioner.supports(.customImage)
        {
            throw .unsupported(
                "The \(provisioner.name) backend cannot run tasks in an image (image_id: "
                    + "\(image)); they would run on the nodes' own system. Remove image_id, or "
                    + "choose infra that runs images (k8s).")
        }
        let nameOnCloud = ClusterNaming.nameOnCloud(
            request.clusterName, userHash: request.userHash,
            maxLength: provisioner.maxClusterNameLength)
        return ProvisionConfig(
            clusterName: request.clusterName, clusterNameOnCloud: nameOnCloud,
            region: offering.region, zone: offering.zone, offering: offering,
            count: request.count, useSpot: entry?.useSpot ?? request.useSpot,
            ports: entry?.ports ?? request.ports,
            tags: ClusterNaming.tags(
                nameOnCloud: nameOnCloud, user: request.userName, isHead: true,
                labels: entry?.labels ?? request.labels),
            providerConfig: try provisioner.providerConfig(
                resources: resources, taskConfig: request.taskConfig),
            privateKeyPath: request.privateKeyPath)
    }

    private func place(_ offering: Offering) -> String {
        [offering.cloud, offering.region, offering.zone].compactMap { $0 }.joined(separator: "/")
    }
}
