import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sky catalog update`: downloads the v8 catalog files of some clouds (and the common files)
/// into `<sky home>/catalogs/v8/`. Each file is downloaded next to its destination, its header
/// checked, and only then renamed over the copy in use; a failure leaves the old file untouched.
package struct CatalogUpdater: Sendable {
    /// SkyPilot's hosted catalog folder (the one holding `v8/`).
    package static let defaultBaseURL =
        "https://raw.githubusercontent.com/skypilot-org/skypilot-catalog/master/catalogs"

    package let store: CatalogStore
    /// The folder holding `v8/` (a trailing `/v8` is accepted too).
    package let baseURL: String
    package let fetcher: any CatalogFetcher

    package init(store: CatalogStore, baseURL: String? = nil, fetcher: any CatalogFetcher) {
        self.store = store
        var base = (baseURL?.isEmpty == false ? baseURL : nil) ?? Self.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/" + CatalogStore.schemaVersion) {
            base.removeLast(CatalogStore.schemaVersion.count + 1)
        }
        self.baseURL = base
        self.fetcher = fetcher
    }

    /// Lower-cased, de-duplicated catalog cloud names; every catalog cloud when `names` is empty.
    package static func catalogClouds(_ names: [String]) throws(CatalogError) -> [String] {
        var clouds: [String] = []
        for name in names {
            let cloud = name.lowercased()
            guard CatalogStore.catalogClouds.contains(cloud) else {
                throw .notACatalogCloud(name, known: CatalogStore.catalogClouds)
            }
            if !clouds.contains(cloud) { clouds.append(cloud) }
        }
        return clouds.isEmpty ? CatalogStore.catalogClouds : clouds
    }

    package func url(of file: CatalogFile) -> String {
        baseURL + "/" + CatalogStore.schemaVersion + "/" + file.relativePath
    }

    /// Updates the files of `clouds` (lower-case catalog clouds) and the common files,
    /// concurrently. Never throws: every file gets an outcome.
    package func update(clouds: [String]) async -> [CatalogUpdateOutcome] {
        let files = CatalogFile.files(for: clouds)
        let outcomes = await withTaskGroup(of: (Int, CatalogUpdateOutcome).self) { group in
            for (index, file) in files.enumerated() {
                group.addTask { (index, await self.update(file)) }
            }
            var collected: [(Int, CatalogUpdateOutcome)] = []
            for await item in group { collected.append(item) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        recordSources(outcomes)
        return outcomes
    }

    func update(_ file: CatalogFile) async -> CatalogUpdateOutcome {
        let url = url(of: file)
        let destination = store.cacheDirectory + "/" + file.relativePath
        let directory = (destination as NSString).deletingLastPathComponent
        let temporary = destination + ".download-\(getpid())"
        func outcome(_ result: CatalogUpdateOutcome.Result) -> CatalogUpdateOutcome {
            CatalogUpdateOutcome(
                file: file, url: url, result: result, inUse: store.locate(file.relativePath))
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true)
        } catch {
            return outcome(.failed("cannot create \(directory): \(error.localizedDescription)"))
        }
        defer { unlink(temporary) }
        do {
            try await fetcher.fetch(url, to: temporary)
        } catch {
            if case .notFound = error, file.optional { return outcome(.notPublished) }
            return outcome(.failed(error.description))
        }
        let rows: Int
        let bytes: Int
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: temporary))
            bytes = data.count
            rows = try file.validate(data)
        } catch let error as CatalogFileError {
            return outcome(.failed(error.description))
        } catch {
            return outcome(.failed("cannot read the download: \(error.localizedDescription)"))
        }
        chmod(temporary, 0o644)
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            return outcome(.failed("cannot move the download to \(destination): \(reason)"))
        }
        if let cloud = file.cloud { removeCompactCopies(of: cloud) }
        return outcome(.updated(rows: rows, bytes: bytes))
    }

    /// Drops the compact binary copies of a cloud's previous catalog (they are keyed by path,
    /// size and modification time, so they would never be read again).
    private func removeCompactCopies(of cloud: String) {
        let dir = store.cacheDirectory + "/.compact"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names where name.hasPrefix(cloud + "-") && name.hasSuffix(".bin") {
            unlink(dir + "/" + name)
        }
    }

    /// Remembers where each updated file came from (`<cache>/sources.json`, for `sky catalog
    /// status`), written atomically.
    private func recordSources(_ outcomes: [CatalogUpdateOutcome]) {
        var sources = CatalogSources.read(cacheDirectory: store.cacheDirectory)
        var changed = false
        for outcome in outcomes {
            guard case .updated(let rows, _) = outcome.result else { continue }
            sources.entries[outcome.file.relativePath] = .init(
                url: outcome.url, fetchedAt: Date().timeIntervalSince1970, rows: rows)
            changed = true
        }
        if changed { sources.write(cacheDirectory: store.cacheDirectory) }
    }
}

/// What happened to one file in `sky catalog update`.
package struct CatalogUpdateOutcome: Sendable {
    package enum Result: Sendable, Equatable {
        case updated(rows: Int, bytes: Int)
        /// The repository has no such optional file (HTTP 404); the copy in use stays.
        case notPublished
        case failed(String)
    }

    package let file: CatalogFile
    package let url: String
    package let result: Result
    /// The copy now in use (nil: none, e.g. AWS before any successful update).
    package let inUse: CatalogSource?

    package var failed: Bool {
        if case .failed = result { return true }
        return false
    }
}
