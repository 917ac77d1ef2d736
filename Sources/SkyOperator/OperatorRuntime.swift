import Foundation
import Logging
import SkyEngine
import SkyKubeAPI
import Synchronization

/// The operator process: connects to the API server, serves `/healthz` `/readyz` `/metrics`,
/// waits for the leader Lease, then runs the SkyCluster, SkyJob and SkyService controllers
/// until cancelled (SIGTERM) or leadership is lost. On a clean stop the lease is released.
package final class OperatorRuntime: Sendable {
    package let options: OperatorOptions
    package let metrics = OperatorMetrics()
    let logger: Logger
    private let ready = Mutex(false)
    private let ports = Mutex<(health: Int, metrics: Int)>((0, 0))

    package init(options: OperatorOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// The leader's caches are synced.
    package var isReady: Bool { ready.withLock { $0 } }

    /// Bound ports (useful with port 0).
    package var healthPort: Int { ports.withLock { $0.health } }
    package var metricsPort: Int { ports.withLock { $0.metrics } }

    package func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let inCluster = options.kubeconfig == nil && environment["KUBERNETES_SERVICE_HOST"] != nil
        let kube = try await KubeClient.connect(
            kubeconfig: options.kubeconfig, context: options.context, inCluster: inCluster)
        var endpoints: [HTTPEndpoint] = []
        let elector = LeaderElector(
            kube: kube, namespace: options.leaseNamespace, name: options.leaderElectionID,
            identity: options.resolvedIdentity, logger: logger)
        var failure: (any Error)?
        do {
            endpoints = try await startEndpoints()
            try await lead(kube: kube, elector: elector, environment: environment)
        } catch {
            // Errors caused by the stop itself (cancelled requests) are a clean stop.
            if !_Concurrency.Task.isCancelled, !(error is CancellationError) { failure = error }
        }
        metrics.setLeader(false)
        // The run task may be cancelled by now: clean up from a fresh task, which is not.
        let stopping = endpoints
        let cleanup = _Concurrency.Task {
            await elector.release()  // no-op unless this replica holds the lease
            for endpoint in stopping { await endpoint.stop() }
            await kube.shutdown()
        }
        if !(await Deadline.wait(for: cleanup, timeout: .seconds(15))) {
            logger.warning("shutdown cleanup did not finish in 15 s; exiting anyway")
        }
        if let failure { throw failure }
        logger.info("stopped", metadata: ["identity": "\(options.resolvedIdentity)"])
    }

    /// Waits for the lease, then reconciles until cancelled or the lease is lost (throws).
    private func lead(kube: KubeClient, elector: LeaderElector, environment: [String: String])
        async throws
    {
        var engineEnvironment = environment
        let home =
            options.skyHome
            ?? (environment["SKY_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.sky"))
        engineEnvironment["SKY_HOME"] = home
        let engine = SkyEngine(home: home, environment: engineEnvironment)
        let identity = options.resolvedIdentity
        logger.info(
            "starting",
            metadata: [
                "identity": "\(identity)", "namespace": "\(options.namespace ?? "(all)")",
                "sky_home": "\(home)",
                "api_server": "\(kube.credentials.server.absoluteString)",
            ])
        try await elector.acquire()
        metrics.setLeader(true)
        // The controllers run until this task is cancelled (clean stop) or the lease is lost.
        // Losing it stops them at once: a reconcile still in flight gets a few seconds, then
        // the process exits (another replica may take the lease `leaseDuration` after the last
        // renewal, and must not find this one still acting).
        let controllers = _Concurrency.Task {
            await self.runControllers(kube: kube, engine: engine, identity: identity)
        }
        do {
            try await withTaskCancellationHandler {
                try await elector.holdLeadership()
            } onCancel: {
                controllers.cancel()
            }
        } catch {
            metrics.setLeader(false)
            controllers.cancel()
            if !(await Deadline.wait(for: controllers, timeout: .seconds(3))) {
                logger.warning("reconciles still running after leadership was lost; exiting anyway")
            }
            throw error
        }
        // Cancelled: a graceful stop; in-flight reconciles get longer to finish.
        controllers.cancel()
        if !(await Deadline.wait(for: controllers, timeout: .seconds(25))) {
            logger.warning("reconciles still running at shutdown; exiting anyway")
        }
    }

    private func startEndpoints() async throws -> [HTTPEndpoint] {
        let metrics = self.metrics
        let health = try await HTTPEndpoint.start(
            host: options.bindAddress, port: options.healthPort
        ) { path in
            switch path {
            case "/healthz", "/livez": return (200, "text/plain", "ok\n")
            case "/readyz":
                // Ready: connected; a leader also needs its caches synced. A standby is ready.
                let isReady = !metrics.isLeader || self.isReady
                return isReady
                    ? (200, "text/plain", "ok\n") : (503, "text/plain", "caches not synced\n")
            case "/metrics": return (200, "text/plain; version=0.0.4", metrics.render())
            default: return (404, "text/plain", "not found\n")
            }
        }
        var endpoints = [health]
        var metricsPort = health.port
        if options.metricsPort != options.healthPort || options.healthPort == 0 {
            let metricsEndpoint = try await HTTPEndpoint.start(
                host: options.bindAddress, port: options.metricsPort
            ) { path in
                path == "/metrics"
                    ? (200, "text/plain; version=0.0.4", metrics.render())
                    : (404, "text/plain", "not found\n")
            }
            endpoints.append(metricsEndpoint)
            metricsPort = metricsEndpoint.port
        }
        let healthPort = health.port
        ports.withLock { $0 = (healthPort, metricsPort) }
        logger.info(
            "serving health and metrics",
            metadata: ["health_port": "\(healthPort)", "metrics_port": "\(metricsPort)"])
        return endpoints
    }

    private func runControllers(kube: KubeClient, engine: SkyEngine, identity: String) async {
        let namespace = options.namespace
        let context = OperatorContext(
            kube: kube, engine: engine, state: StateCache(home: engine.home),
            clusters: Informer<SkyCluster>(client: kube, namespace: namespace),
            jobs: Informer<SkyJob>(client: kube, namespace: namespace),
            services: Informer<SkyService>(client: kube, namespace: namespace),
            events: EventRecorder(kube: kube, instance: identity, logger: logger),
            metrics: metrics, logger: logger, wake: OperatorContext.Wake())
        let resync = Duration.seconds(options.resyncSeconds)
        let jobs = Controller(
            informer: context.jobs, reconciler: SkyJobReconciler(context: context),
            workers: options.workers,
            resync: resync, metrics: metrics, logger: logger)
        let clusters = Controller(
            informer: context.clusters, reconciler: SkyClusterReconciler(context: context),
            workers: options.workers,
            resync: resync, metrics: metrics, logger: logger
        ) { change in
            // A cluster's change wakes the jobs that run on it.
            let cluster: SkyCluster
            switch change {
            case .upserted(let object), .deleted(let object): cluster = object
            }
            for job in context.jobs.objects
            where job.metadata.namespace == cluster.metadata.namespace
                && job.clusterResourceName == cluster.name
            {
                await jobs.enqueue(ObjectKey(job))
            }
        }
        let services = Controller(
            informer: context.services, reconciler: SkyServiceReconciler(context: context),
            workers: 1,
            resync: resync, metrics: metrics, logger: logger)
        context.wake.set(cluster: { await clusters.enqueue($0) }, job: { await jobs.enqueue($0) })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clusters.run() }
            group.addTask { await jobs.run() }
            group.addTask { await services.run() }
            group.addTask {
                while !_Concurrency.Task.isCancelled {
                    if context.clusters.hasSynced && context.jobs.hasSynced
                        && context.services.hasSynced
                    {
                        self.ready.withLock { $0 = true }
                        return
                    }
                    try? await _Concurrency.Task.sleep(for: .milliseconds(100))
                }
            }
            await group.waitForAll()
        }
        await context.launches.cancelAll()
        await context.followers.cancelAll()
    }
}
