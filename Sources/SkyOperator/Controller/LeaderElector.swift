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

    /// Waits until this replica holds the lease (or the task is cancelled).
    func acquire() async throws {
        var logged = false
        while true {
            try _Concurrency.Task.checkCancellation()
            if try await tryAcquireOrRenew() { return }
            if !logged {
                logger.info("waiting for leadership", metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
                logged = true
            }
            try await _Concurrency.Task.sleep(for: retryPeriod)
        }
    }

    /// Renews until cancelled (returns normally) or until renewal fails for `renewDeadline`
    /// (throws `OperatorError.leadershipLost`).
    func holdLeadership() async throws {
        var lastRenew = ContinuousClock.now
        while true {
            do {
                try await _Concurrency.Task.sleep(for: retryPeriod)
            } catch {
                return
            }
            let renewed: Bool
            do {
                renewed = try await tryAcquireOrRenew()
            } catch {
                logger.warning("lease renewal failed", metadata: ["error": "\(error)"])
                renewed = false
            }
            if renewed {
                lastRenew = ContinuousClock.now
            } else if ContinuousClock.now - lastRenew > renewDeadline {
                throw OperatorError.leadershipLost(identity)
            }
        }
    }

    /// One attempt: create the lease, renew ours, or take an expired one.
    func tryAcquireOrRenew() async throws -> Bool {
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
                _ = try await kube.create(Lease(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec))
                logger.info("became leader (new lease)", metadata: ["identity": "\(identity)"])
                return true
            } catch let error as KubeError where error.code == 409 {
                return false
            }
        }
        let holder = lease.spec.holderIdentity ?? ""
        let renewed = lease.spec.renewTime.flatMap(KubeTime.parse) ?? .distantPast
        let duration = TimeInterval(lease.spec.leaseDurationSeconds ?? seconds)
        let expired = holder.isEmpty || renewed.addingTimeInterval(duration) < now
        guard holder == identity || expired else { return false }
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
            return false
        }
        if holder != identity {
            logger.info("became leader", metadata: ["identity": "\(identity)", "previous": "\(holder)"])
        }
        return true
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
