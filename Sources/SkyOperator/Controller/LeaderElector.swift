import Foundation
import Logging
import SkyKubeAPI

/// Leader election on a coordination.k8s.io/v1 Lease (client-go's algorithm): a replica
/// takes the lease when it is free or its holder has not renewed it within
/// `leaseDuration`; the leader renews every `retryPeriod` and gives up when it could not
/// renew within `renewDeadline`. Updates are guarded by the lease's resourceVersion, so two
/// replicas never both win. On a clean stop the leader releases the lease at once.
struct LeaderElector: Sendable {
    let kube: KubeClient
    let namespace: String
    let name: String
    let identity: String
    var leaseDuration: Duration = .seconds(15)
    var renewDeadline: Duration = .seconds(10)
    var retryPeriod: Duration = .seconds(2)
    let logger: Logger

    /// What one attempt on the lease found.
    enum Attempt: Equatable {
        /// This replica holds the lease (created, renewed or taken over).
        case held
        /// Another replica holds a live lease.
        case heldBy(String)
        /// Lost a write race; try again.
        case conflict
    }

    /// Waits until this replica holds the lease (or the task is cancelled). Each attempt is
    /// bounded by `retryPeriod` + `renewDeadline`, so a hung request never stalls it.
    func acquire() async throws {
        var logged = false
        while true {
            try _Concurrency.Task.checkCancellation()
            let attempt: Attempt
            do {
                attempt = try await boundedAttempt(timeout: renewDeadline)
            } catch let error as Deadline.Exceeded {
                logger.warning("lease request timed out", metadata: ["error": "\(error)"])
                attempt = .conflict
            }
            if attempt == .held { return }
            if !logged {
                logger.info(
                    "waiting for leadership",
                    metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
                logged = true
            }
            try await _Concurrency.Task.sleep(for: retryPeriod)
        }
    }

    /// Renews every `retryPeriod` until cancelled (returns normally). Throws
    /// `OperatorError.leadershipLost` when another replica holds the lease, or when no renewal
    /// succeeded for `renewDeadline` (shorter than `leaseDuration`, so this replica stops
    /// before anyone may take the lease over). Every attempt ends by that deadline, however
    /// long the API server takes to answer.
    func holdLeadership() async throws {
        var lastRenew = ContinuousClock.now
        while true {
            do {
                try await _Concurrency.Task.sleep(for: retryPeriod)
            } catch {
                return
            }
            let started = ContinuousClock.now
            let left = renewDeadline - (started - lastRenew)
            var attempt = Attempt.conflict
            do {
                attempt = try await boundedAttempt(timeout: max(left, .milliseconds(200)))
            } catch {
                if _Concurrency.Task.isCancelled { return }
                logger.warning("lease renewal failed", metadata: ["error": "\(error)"])
            }
            switch attempt {
            case .held:
                lastRenew = started
            case .heldBy(let holder):
                logger.error(
                    "leadership lost: the lease is held by another replica",
                    metadata: ["holder": "\(holder)"])
                throw OperatorError.leadershipLost(identity)
            case .conflict:
                if ContinuousClock.now - lastRenew > renewDeadline {
                    logger.error(
                        "leadership lost: the lease was not renewed in time",
                        metadata: ["renew_deadline": "\(renewDeadline)"])
                    throw OperatorError.leadershipLost(identity)
                }
            }
        }
    }

    private func boundedAttempt(timeout: Duration) async throws -> Attempt {
        try await Deadline.run("lease \(namespace)/\(name) request", timeout: timeout) {
            try await self.attempt()
        }
    }

    /// One attempt: create the lease, renew ours, or take an expired one.
    func attempt() async throws -> Attempt {
        let now = Date()
        let seconds = Int(leaseDuration.components.seconds)
        guard var lease = try await kube.get(Lease.self, namespace: namespace, name: name) else {
            var spec = Lease.Spec()
            spec.holderIdentity = identity
            spec.leaseDurationSeconds = seconds
            spec.acquireTime = KubeTime.micro(now)
            spec.renewTime = KubeTime.micro(now)
            spec.leaseTransitions = 0
            do {
                _ = try await kube.create(
                    Lease(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec))
                logger.info("became leader (new lease)", metadata: ["identity": "\(identity)"])
                return .held
            } catch let error as KubeError where error.code == 409 {
                return .conflict
            }
        }
        let holder = lease.spec.holderIdentity ?? ""
        let renewed = lease.spec.renewTime.flatMap(KubeTime.parse) ?? .distantPast
        let duration = TimeInterval(lease.spec.leaseDurationSeconds ?? seconds)
        let expired = holder.isEmpty || renewed.addingTimeInterval(duration) < now
        guard holder == identity || expired else { return .heldBy(holder) }
        if holder != identity {
            lease.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1
            lease.spec.acquireTime = KubeTime.micro(now)
        }
        lease.spec.holderIdentity = identity
        lease.spec.leaseDurationSeconds = seconds
        lease.spec.renewTime = KubeTime.micro(now)
        do {
            _ = try await kube.update(lease)  // guarded by resourceVersion
        } catch let error as KubeError where error.isConflict {
            return .conflict
        }
        if holder != identity {
            logger.info(
                "became leader", metadata: ["identity": "\(identity)", "previous": "\(holder)"])
        }
        return .held
    }

    /// Gives the lease up (clean shutdown) so another replica takes over without waiting.
    func release() async {
        guard var lease = try? await kube.get(Lease.self, namespace: namespace, name: name),
            lease.spec.holderIdentity == identity
        else { return }
        lease.spec.holderIdentity = ""
        lease.spec.renewTime = KubeTime.micro(Date(timeIntervalSince1970: 0))
        _ = try? await kube.update(lease)
        logger.info("released leadership", metadata: ["identity": "\(identity)"])
    }
}
