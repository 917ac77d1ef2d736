import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer
import SkyState

/// Planning: which clouds are enabled, the optimizer's plan for a task, `sky launch --dryrun`
/// output, and the launch-level resource validation of `sky validate`.
extension SkyEngine {
    /// The catalogs, with `~/.sky/catalogs/v8/<cloud>/vms.csv` overriding the bundled copies.
    package var catalogs: CatalogStore { CatalogStore(home: home) }

    package var optimizer: Optimizer { Optimizer(catalogs: catalogs) }

    /// `sky catalog update [CLOUD...]`: downloads the v8 catalogs of `clouds` (every catalog cloud
    /// when empty) and the common files from `SKY_CATALOG_URL` (default: SkyPilot's catalog
    /// repository) into `<home>/catalogs/v8/`. Throws only for an unknown cloud name.
    package func updateCatalogs(clouds: [String]) async throws -> (
        base: String, outcomes: [CatalogUpdateOutcome]
    ) {
        let names = try CatalogUpdater.catalogClouds(clouds)
        let updater = CatalogUpdater(
            store: catalogs, baseURL: environment["SKY_CATALOG_URL"],
            fetcher: CurlFetcher(environment: environment))
        return (
            updater.baseURL + "/" + CatalogStore.schemaVersion, await updater.update(clouds: names)
        )
    }

    /// `sky catalog status`.
    package func catalogStatus() -> CatalogStatus { CatalogStatus(store: catalogs) }

    /// Clouds to plan on, lower-case: `SKY_ENABLED_CLOUDS` (comma-separated) when set, else the
    /// clouds `sky check` found usable (cached in the state store), restricted by
    /// `allowed_clouds` in `~/.sky/config.yaml`.
    package func enabledClouds() async -> [String] {
        var clouds: [String]
        if let override = enabledCloudsOverride {
            clouds = override
        } else if FileManager.default.fileExists(atPath: home + "/state.db") {
            let store = SQLiteStateStore(home: home)
            clouds = ((try? await store.enabledClouds()) ?? []).map { $0.lowercased() }
        } else {
            clouds = []
        }
        return restrictToAllowed(clouds)
    }

    /// `SKY_ENABLED_CLOUDS`, parsed; nil when unset.
    package var enabledCloudsOverride: [String]? {
        guard let value = environment["SKY_ENABLED_CLOUDS"] else { return nil }
        return value.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }
    }

    /// Applies `allowed_clouds` from `~/.sky/config.yaml` (no key = everything allowed).
    package func restrictToAllowed(_ clouds: [String]) -> [String] {
        guard let allowed = allowedClouds() else { return clouds }
        let set = Set(allowed.map { $0 == "k8s" ? "kubernetes" : $0 })
        return clouds.filter { set.contains($0) }
    }

    /// The `allowed_clouds` list of the config (`~/.sky/config.yaml`, `.sky.yaml`),
    /// lower-cased; nil when absent (or when the config is invalid: launching reports that).
    package func allowedClouds() -> [String]? {
        guard case .array(let items)? = (try? skyConfig())?.value(at: ["allowed_clouds"]) else {
            return nil
        }
        return items.compactMap { $0.stringValue?.lowercased() }
    }

    /// The optimizer's plan for `task` over the enabled clouds and the given live backends.
    package func plan(
        _ task: Task, blocked: [BlockedResource] = [], liveSources: [any OfferingSource] = []
    ) async throws -> Plan {
        let clouds = await enabledClouds()
        if liveSources.isEmpty {
            return try optimizer.plan(task: task, enabledClouds: clouds, blocked: blocked)
        }
        return try await optimizer.plan(
            task: task, enabledClouds: clouds, liveSources: liveSources, blocked: blocked)
    }

    /// `sky launch --dryrun`: the optimizer table, or with `json` the `{"chosen", "candidates"}`
    /// object. Throws `OptimizerError` (exit 1) when nothing satisfies the request.
    package func dryRun(
        task: Task, json: Bool, liveSources: [any OfferingSource] = []
    ) async throws -> String {
        let plan = try await plan(task, liveSources: liveSources)
        if json { return PlanRenderer.json(plan).encoded(sortedKeys: false, pretty: true) }
        return PlanRenderer.table(plan)
    }

    /// The launch-level resource checks of `sky validate` (stage `resources`): canonical
    /// accelerator names, regions, zones and instance types that exist in the catalogs of the
    /// enabled clouds (GCP, Azure and Lambda unless `SKY_ENABLED_CLOUDS` says otherwise),
    /// cpus/memory that fit a given instance type.
    package func validateResources(_ task: Task) throws {
        let clouds = restrictToAllowed(enabledCloudsOverride ?? CatalogStore.bundledClouds)
        _ = try optimizer.validatedResources(task, enabledClouds: clouds)
    }

    /// `validateResources`, returning the task with canonical accelerator names and the cloud /
    /// region inferred where SkyPilot infers them.
    package func validatedTask(_ task: Task) throws -> Task {
        let clouds = restrictToAllowed(enabledCloudsOverride ?? CatalogStore.bundledClouds)
        var copy = task
        let validated = try optimizer.validatedResources(task, enabledClouds: clouds)
        if validated.count == task.resources.count { copy.resources = validated }
        return copy
    }
}
