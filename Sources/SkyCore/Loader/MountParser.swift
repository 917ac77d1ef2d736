/// `file_mounts`: plain copies (local path or cloud URI), storage objects (buckets), and
/// `store: volume` entries (turned into resource volumes).
struct MountParser {
    let validator: SchemaValidator
    var fileMounts: [(String, Task.FileMount)] = []
    var volumes: [PyValue] = []
    /// A bucket is mounted (MOUNT or MOUNT_CACHED), so nodes need FUSE.
    var needsFuse = false

    init(validator: SchemaValidator) {
        self.validator = validator
    }

    mutating func parse(_ value: PyValue, hasWorkdir: Bool) throws(FieldError) {
        guard case .dict(let pairs) = value else { return }
        var copies: [(String, Task.FileMount)] = []
        var storages: [(String, PyValue)] = []
        for (key, src) in pairs {
            let dst = key.pyStr
            let path = YAMLReader.childPath("file_mounts", dst)
            switch src {
            case .str(let s):
                copies.append((dst, Self.isCloudURL(s) ? .uri(s) : .local(s)))
            case .dict:
                if src["store"] == .str("volume") {
                    var volume: [(PyValue, PyValue)] = [(.str("path"), .str(dst))]
                    if let name = src["name"], name.isTruthy { volume.append((.str("name"), name)) }
                    let persistent = src["persistent"]?.isTruthy ?? false
                    volume.append((.str("auto_delete"), .bool(!persistent)))
                    for (k, v) in src["config"]?.dictItems ?? [] {
                        if let i = volume.firstIndex(where: { $0.0 == k }) {
                            volume[i].1 = v
                        } else {
                            volume.append((k, v))
                        }
                    }
                    volumes.append(.dict(volume))
                    if let source = src["source"], source.isTruthy {
                        var base = dst
                        while base.hasSuffix("/") { base.removeLast() }
                        let s = source.pyStr
                        copies.append((base + "/data", Self.isCloudURL(s) ? .uri(s) : .local(s)))
                    }
                } else {
                    storages.append((dst, src))
                }
            default:
                throw FieldError(
                    path,
                    "unable to parse file mount \(dst): \(src.pyRepr); use a path, a URI or a storage mapping"
                )
            }
        }
        fileMounts = copies
        for (dst, src) in storages {
            let path = YAMLReader.childPath("file_mounts", dst)
            let storage = try parseStorage(src, path: path)
            if dst == "~/sky_workdir", hasWorkdir {
                throw FieldError(
                    path,
                    "cannot use '~/sky_workdir' as a destination path of a file mount, as it is used by the workdir"
                )
            }
            if Self.isCloudURL(dst) {
                throw FieldError(path, "storage mount destination path cannot be cloud storage")
            }
            fileMounts.append((dst, .storage(storage)))
        }
    }

    /// `Storage.from_yaml_config` + `Storage.to_yaml_config`.
    private mutating func parseStorage(_ src: PyValue, path: String) throws(FieldError) -> JSONValue
    {
        let map = FieldMap(src, path: path)
        if let v = validator.validate(map.withoutNone, TaskSchemas.storage, path: path) {
            throw FieldError(v.path, v.message, atKey: v.unknownField)
        }
        func get(_ k: String) -> PyValue? { map[k].flatMap { $0.isNone ? nil : $0 } }
        let mode = get("mode")?.pyStr.uppercased() ?? "MOUNT"
        let fileType = get("type")?.pyStr.uppercased()
        var mountCached: JSONValue?
        var mount: JSONValue?
        if let cfg = get("config") {
            if let mc = cfg["mount_cached"], !mc.isNone {
                mountCached = .object(
                    (mc.dictItems ?? []).filter { !$0.1.isNone }.map { ($0.0.pyStr, $0.1.json) })
            }
            if let m = cfg["mount"], !m.isNone {
                mount = .object(
                    (m.dictItems ?? []).filter { !$0.1.isNone }.map { ($0.0.pyStr, $0.1.json) })
            }
        }
        if fileType != nil, mode != "MOUNT_CACHED" {
            throw FieldError(
                YAMLReader.childPath(path, "type"),
                "type can only be specified when mode is MOUNT_CACHED; got mode=\(mode)")
        }
        if mountCached != nil, mode != "MOUNT_CACHED" {
            throw FieldError(
                YAMLReader.childPath(path, "config"),
                "config.mount_cached can only be specified when mode is MOUNT_CACHED; got mode=\(mode)"
            )
        }
        if mount != nil, mode != "MOUNT" {
            throw FieldError(
                YAMLReader.childPath(path, "config"),
                "config.mount can only be specified when mode is MOUNT; got mode=\(mode)")
        }
        if mode == "MOUNT" || mode == "MOUNT_CACHED" { needsFuse = true }
        var out: [(String, JSONValue)] = []
        let source = get("source")
        var keepName = true
        if case .str(let s)? = source, Self.isCloudURL(s) { keepName = false }
        if keepName, let name = get("name") { out.append(("name", name.json)) }
        if let source { out.append(("source", source.json)) }
        if let store = get("store") { out.append(("store", .string(store.pyStr.uppercased()))) }
        if let managed = get("_is_sky_managed") { out.append(("_is_sky_managed", managed.json)) }
        out.append(("persistent", (get("persistent") ?? .bool(true)).json))
        out.append(("mode", .string(mode)))
        if let fileType { out.append(("type", .string(fileType))) }
        if case .bool(true)? = get("_force_delete") { out.append(("_force_delete", .bool(true))) }
        if let sub = get("_bucket_sub_path") { out.append(("_bucket_sub_path", sub.json)) }
        var configOut: [(String, JSONValue)] = []
        if let mc = mountCached, case .object(let o) = mc, !o.isEmpty {
            configOut.append(("mount_cached", mc))
        }
        if let m = mount, case .object(let o) = m, !o.isEmpty { configOut.append(("mount", m)) }
        if !configOut.isEmpty { out.append(("config", .object(configOut))) }
        return .object(out)
    }

    /// `data_utils.is_cloud_store_url`: `urlsplit(url).netloc` is non-empty.
    static func isCloudURL(_ url: String) -> Bool {
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":") {
            let scheme = rest[..<colon]
            if let first = scheme.first, first.isASCII, first.isLetter,
                scheme.allSatisfy({
                    $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0))
                })
            {
                rest = rest[rest.index(after: colon)...]
            }
        }
        guard rest.hasPrefix("//") else { return false }
        let netloc = rest.dropFirst(2).prefix { !"/?#".contains($0) }
        return !netloc.isEmpty
    }
}
