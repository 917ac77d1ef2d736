import SkyCatalog
import SkyCore

/// SkyPilot's optimizer for one task: per request and per enabled cloud, the cheapest feasible
/// instance type, expanded into one candidate per region (per zone on GCP and for spot), priced
/// from the catalogs (GCP GPUs on top of their host VM), plus live offerings from backends
/// (Kubernetes, Slurm, SSH pools, local, plugins). `any_of` picks the cheapest request,
/// `ordered` the first request with any launchable candidate.
package struct Optimizer: Sendable {
    package let catalogs: CatalogStore

    package init(catalogs: CatalogStore) {
        self.catalogs = catalogs
    }

    /// Plans `task` over `enabledClouds` (lower-case names, in preference order for ties).
    /// `liveOfferings` are the offerings live backends reported for this task; `blocked` are
    /// the resources the failover has already found unusable.
    package func plan(
        task: Task, enabledClouds: [String], liveOfferings: [Offering] = [],
        blocked: [BlockedResource] = [], objective: Objective = .cost
    ) throws -> Plan {
        let enabled = enabledClouds.map { $0.lowercased() }
        let liveClouds = Set(liveOfferings.map(\.cloud))
        guard !enabled.isEmpty || !liveClouds.isEmpty else { throw OptimizerError.noEnabledClouds }
        let requests = try validatedRequests(task, enabledClouds: enabled)
        let numNodes = max(task.numNodes, 1)

        var perRequest: [[LaunchCandidate]] = []
        var fuzzy = Set<String>()
        var hints: [String] = []
        for request in requests {
            let result = try launchables(
                for: request, enabledClouds: enabled, liveOfferings: liveOfferings)
            fuzzy.formUnion(result.fuzzy)
            hints += result.hints
            perRequest.append(result.candidates.filter { c in !blocked.contains { $0.blocks(c) } })
        }

        var pool: [LaunchCandidate]
        if task.resourcesOrdered {
            pool = perRequest.first { !$0.isEmpty } ?? []
        } else {
            pool = perRequest.flatMap { $0 }
        }
        guard !pool.isEmpty else {
            throw OptimizerError.resourcesUnavailable(
                unavailableMessage(
                    requests: requests, numNodes: numNodes, enabled: enabled,
                    liveClouds: liveClouds,
                    fuzzy: fuzzy.sorted(), hints: hints))
        }
        // Rank: cheapest first; ties keep discovery order (cloud order, then region order).
        let ranked: [LaunchCandidate]
        switch objective {
        case .cost:
            ranked = pool.enumerated().sorted { a, b in
                a.element.hourlyCost != b.element.hourlyCost
                    ? a.element.hourlyCost < b.element.hourlyCost : a.offset < b.offset
            }.map(\.element)
        case .time:
            ranked = pool
        }
        return Plan(
            chosen: ranked[0], candidates: ranked, considered: perRequest.flatMap { $0 },
            numNodes: numNodes, objective: objective,
            orderedRequests: task.resourcesOrdered ? requests.map(\.resources) : nil)
    }

    /// Collects live offerings from `sources` for every request of `task`, then plans.
    /// A source that fails is skipped (its backend simply offers nothing).
    package func plan(
        task: Task, enabledClouds: [String], liveSources: [any OfferingSource],
        blocked: [BlockedResource] = [], objective: Objective = .cost
    ) async throws -> Plan {
        var offerings: [Offering] = []
        for source in liveSources {
            for resources in task.resources {
                if let cloud = resources.cloud, cloud.lowercased() != source.cloud.lowercased() {
                    continue
                }
                if let found = try? await source.offerings(for: resources) {
                    for offering in found where !offerings.contains(offering) {
                        offerings.append(offering)
                    }
                }
            }
        }
        let clouds = enabledClouds + liveSources.map(\.cloud).filter { !enabledClouds.contains($0) }
        return try plan(
            task: task, enabledClouds: clouds, liveOfferings: offerings, blocked: blocked,
            objective: objective)
    }

    /// SkyPilot's message when nothing satisfies the request, with what would.
    func unavailableMessage(
        requests: [ResourceRequest], numNodes: Int, enabled: [String], liveClouds: Set<String>,
        fuzzy: [String], hints: [String]
    ) -> String {
        let source =
            liveClouds.contains("kubernetes") ? "Catalog and kubernetes cluster" : "Catalog"
        let reprs = requests.map { "\(numNodes)x \($0.display)" }.joined(separator: ", ")
        var message = "\(source) does not contain any instances satisfying the request: \(reprs)."
        message += "\nTo fix: relax or change the resource requirements."
        if !fuzzy.isEmpty {
            message +=
                "\nTry one of these offered accelerators: ["
                + fuzzy.map { "'\($0)'" }.joined(separator: ", ") + "]"
        }
        for request in requests {
            guard let acc = request.resources.accelerator else { continue }
            let offering = cloudsOffering(acc.name)
            if !offering.isEmpty {
                message +=
                    "\n\(acc.name) is offered by: \(offering.joined(separator: ", "))"
                    + " (enabled: \(enabled.isEmpty ? "none" : enabled.joined(separator: ", ")))."
            } else if let registry = try? catalogs.accelerators(), !registry.isKnown(acc.name) {
                let close = registry.suggestions(for: acc.name)
                if !close.isEmpty {
                    message +=
                        "\nUnknown accelerator '\(acc.name)'. Did you mean: "
                        + close.joined(separator: ", ") + "?"
                }
            }
        }
        for hint in Set(hints).sorted() { message += "\n" + hint }
        message += "\n\nHint: sky gpus list to list available accelerators."
        message += "\n      sky check to check the enabled clouds."
        return message
    }

    /// Display names of the clouds whose catalog (bundled or cached) offers `accelerator`.
    func cloudsOffering(_ accelerator: String) -> [String] {
        CatalogStore.catalogClouds.compactMap { cloud in
            guard let catalog = try? catalogs.catalog(for: cloud),
                !catalog.rows(accelerator: accelerator).isEmpty
            else { return nil }
            return CloudTraits.forCloud(cloud).displayName
        }
    }
}
