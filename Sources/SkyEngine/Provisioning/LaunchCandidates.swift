import SkyCore
import SkyOptimizer
import SkyProvision
import SkyState

/// Ranked offerings for a launch: the optimizer's plan over the enabled clouds plus the live
/// backends (local, SSH pools); for live-only launches, if the optimizer refuses (e.g. every
/// pool host is taken), the offerings of those backends in order (cheapest first), so the
/// failover reports why each one cannot be used.
struct LaunchCandidates {
    let backends: EngineBackends
    let engine: SkyEngine

    /// Backends the task may use: what it names, else the enabled clouds (+ ssh when pools
    /// exist and are enabled), else the local machine.
    func targetClouds(_ task: Task) async -> [String] {
        let named = task.resources.compactMap(\.cloud)
        if !named.isEmpty, named.count == task.resources.count {
            var seen: [String] = []
            for cloud in named where !seen.contains(cloud) { seen.append(cloud) }
            return seen
        }
        let enabled = await engine.enabledClouds()
        return enabled.isEmpty ? [LocalProviderNames.local] : enabled
    }

    /// A candidate and the entry of `Task.resources` it satisfies (whose image, spot, ports
    /// and labels its launch uses).
    typealias Ranked = (offering: Offering, resources: Resources)

    /// Candidates in failover order. For `ordered` resources, each entry's candidates in turn
    /// (the optimizer alone would return only the first entry that has any).
    func rank(_ task: Task) async throws -> [Ranked] {
        guard task.resourcesOrdered, task.resources.count > 1 else {
            return try await rankOne(task)
        }
        var out: [Ranked] = []
        var firstError: (any Error)?
        for resources in task.resources {
            var single = task
            single.resources = [resources]
            single.resourcesOrdered = false
            do {
                for ranked in try await rankOne(single)
                where !out.contains(where: { $0.offering == ranked.offering }) {
                    out.append(ranked)
                }
            } catch {
                firstError = firstError ?? error
            }
        }
        if out.isEmpty, let firstError { throw firstError }
        return out
    }

    private func rankOne(_ task: Task) async throws -> [Ranked] {
        let clouds = await targetClouds(task)
        var live: [any Provisioner] = []
        for cloud in clouds {
            if let provisioner = await backends.provisioner(cloud), provisioner.offersLiveInventory
            {
                live.append(provisioner)
            }
        }
        let catalogClouds = clouds.filter { cloud in !live.contains { $0.name == cloud } }
        do {
            let plan = try await engine.plan(task, liveSources: live)
            return plan.candidates.map { candidate in
                let index = candidate.requestIndex
                return (
                    Self.offering(candidate),
                    task.resources.indices.contains(index)
                        ? task.resources[index] : candidate.resources
                )
            }
        } catch {
            guard catalogClouds.isEmpty else { throw error }
            let offerings = try await liveOfferings(task, live)
            guard !offerings.isEmpty else { throw error }
            return offerings
        }
    }

    private func liveOfferings(_ task: Task, _ sources: [any Provisioner]) async throws
        -> [Ranked]
    {
        var out: [Ranked] = []
        for resources in task.resources {
            for source in sources where resources.cloud == nil || resources.cloud == source.name {
                // Full pools stay in: trying them gives a capacity error that names the pool.
                for offering in try await source.offerings(for: resources)
                where !out.contains(where: { $0.offering == offering }) {
                    out.append((offering, resources))
                }
            }
            if task.resourcesOrdered, !out.isEmpty { break }
        }
        return out.enumerated().sorted {
            $0.element.offering.price != $1.element.offering.price
                ? $0.element.offering.price < $1.element.offering.price : $0.offset < $1.offset
        }.map(\.element)
    }

    static func offering(_ candidate: LaunchCandidate) -> Offering {
        Offering(
            cloud: candidate.cloud, region: candidate.region, zone: candidate.zone,
            instanceType: candidate.instanceType, cpus: candidate.cpus ?? 0,
            memoryGB: candidate.memoryGB ?? 0, acceleratorName: candidate.accelerator?.name,
            acceleratorCount: candidate.accelerator?.count ?? 0, price: candidate.hourlyCost,
            spotPrice: candidate.useSpot ? candidate.hourlyCost : nil)
    }
}

/// Names of the live backends the engine registers itself.
enum LocalProviderNames {
    static let local = "local"
    static let ssh = "ssh"
}

extension SkyEngine {
    /// `sky launch --dryrun`: the optimizer's table over the backends the launch would use.
    package func launchDryRun(_ task: Task, json: Bool = false) async throws -> String {
        let backends = await backends()
        let clouds = await LaunchCandidates(backends: backends, engine: self).targetClouds(task)
        var live: [any OfferingSource] = []
        for cloud in clouds {
            if let provisioner = await backends.provisioner(cloud), provisioner.offersLiveInventory
            {
                live.append(provisioner)
            }
        }
        return try await dryRun(task: task, json: json, liveSources: live)
    }
}
