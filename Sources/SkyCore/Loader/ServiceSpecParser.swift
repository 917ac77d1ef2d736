import Foundation

/// `SkyServiceSpec.from_yaml_config` + `to_yaml_config`: the `service` (or `pool`) section,
/// checked and normalized.
struct ServiceSpecParser {
    let validator: SchemaValidator

    func parse(_ config: PyValue, path: String) throws(FieldError) -> JSONValue {
        let map = FieldMap(config, path: path)
        if let v = validator.validate(map.withoutNone, TaskSchemas.service, path: path) {
            throw FieldError(v.path, v.message, atKey: v.unknownField)
        }
        func p(_ key: String) -> String { YAMLReader.childPath(path, key) }
        func get(_ key: String) -> PyValue? {
            guard let v = map[key], !v.isNone else { return nil }
            return v
        }
        if map.contains("replicas"), map.contains("replica_policy") {
            throw FieldError(
                path, "cannot specify both `replicas` and `replica_policy`; use one of them")
        }
        var out: [(String, JSONValue)] = []
        var section: [String: [(String, JSONValue)]] = [:]
        var sectionOrder: [String] = []
        func add(_ sec: String, _ key: String, _ value: PyValue?) {
            guard let value, !value.isNone else { return }
            if section[sec] == nil {
                section[sec] = []
                sectionOrder.append(sec)
            }
            section[sec]!.append((key, value.json))
        }

        // readiness probe
        var readinessPath: String
        var probe: FieldMap?
        let readiness = map.contains("readiness_probe") ? map["readiness_probe"]! : .str("/")
        switch readiness {
        case .str(let s): readinessPath = s
        case .dict:
            let pm = FieldMap(readiness, path: p("readiness_probe"))
            readinessPath = pm["path"]?.pyStr ?? ""
            probe = pm
        default:
            throw FieldError(
                p("readiness_probe"), "readiness_probe must be a path or a mapping with `path`")
        }
        func probeValue(_ key: String) -> PyValue? {
            guard let v = probe?[key], !v.isNone else { return nil }
            return v
        }
        var postData = probeValue("post_data")
        if case .str(let text)? = postData {
            guard let data = text.data(using: .utf8),
                let parsed = try? JSONValue.parse(data)
            else {
                throw FieldError(
                    YAMLReader.childPath(p("readiness_probe"), "post_data"),
                    "invalid JSON string for `post_data` in the `readiness_probe` section")
            }
            postData = PyValue(json: parsed)
        }

        let poolConfig = get("pool")
        let policy = get("replica_policy")
        if policy != nil, poolConfig?.isTruthy == true {
            throw FieldError(
                p("replica_policy"),
                "cannot specify `replica_policy` for a pool; use `workers` or `min_workers` / `max_workers`"
            )
        }
        var simplified = get("replicas")
        let workers = get("workers")
        if simplified != nil, workers != nil {
            throw FieldError(path, "cannot specify both `replicas` and `workers`; use one of them")
        }
        if simplified != nil, poolConfig?.isTruthy == true {
            throw FieldError(
                p("replicas"), "cannot specify `replicas` for a pool; use `workers` instead")
        }
        if simplified == nil { simplified = workers }

        var queueThreshold: PyValue?
        var poolMin: PyValue?
        var poolMax: PyValue?
        var poolUp: PyValue?
        var poolDown: PyValue?
        var workersConfig = workers
        if let poolConfig, case .dict = poolConfig {
            func pv(_ k: String) -> PyValue? { poolConfig[k].flatMap { $0.isNone ? nil : $0 } }
            queueThreshold = pv("queue_length_threshold")
            poolMin = pv("min_workers")
            poolMax = pv("max_workers")
            poolUp = pv("upscale_delay_seconds")
            poolDown = pv("downscale_delay_seconds")
            if let w = poolConfig["workers"] { workersConfig = w.isNone ? nil : w }
            let pp = p("pool")
            if poolMin == nil, poolMax == nil, workersConfig == nil {
                throw FieldError(
                    pp,
                    "one of workers, or both min_workers and max_workers, must be set for a pool")
            }
            if queueThreshold != nil, poolMax == nil {
                throw FieldError(pp, "max_workers must be set when queue_length_threshold is set")
            }
            if poolMin != nil, poolMax == nil {
                throw FieldError(pp, "max_workers must be set when min_workers is set")
            }
            if let a = number(poolMin), let b = number(poolMax), a > b {
                throw FieldError(
                    pp, "min_workers (\(poolMin!.pyStr)) must be <= max_workers (\(poolMax!.pyStr))"
                )
            }
        }
        var minReplicas: PyValue
        var maxReplicas: PyValue?
        var numOverprovision: PyValue?
        var targetQPS: PyValue?
        var upscale: PyValue?
        var downscale: PyValue?
        var baseFallback: PyValue?
        var dynamicFallback: PyValue?
        var spotPlacer: PyValue?
        let policyMap = policy.map { FieldMap($0, path: p("replica_policy")) }
        if policyMap == nil || simplified != nil {
            minReplicas = simplified ?? workersConfig ?? .int(1)
            if poolConfig != nil, poolMax != nil {
                if queueThreshold == nil { queueThreshold = .int(1) }
                if let m = poolMin { minReplicas = m }
            }
            maxReplicas = poolMax
            upscale = poolUp
            downscale = poolDown
        } else {
            let pm = policyMap!
            func v(_ k: String) -> PyValue? { pm[k].flatMap { $0.isNone ? nil : $0 } }
            minReplicas = pm["min_replicas"] ?? .none
            maxReplicas = v("max_replicas")
            numOverprovision = v("num_overprovision")
            targetQPS = v("target_qps_per_replica")
            upscale = v("upscale_delay_seconds")
            downscale = v("downscale_delay_seconds")
            baseFallback = v("base_ondemand_fallback_replicas")
            dynamicFallback = v("dynamic_ondemand_fallback")
            spotPlacer = v("spot_placer")
        }
        let lbPolicy = get("load_balancing_policy")
        if case .dict? = targetQPS, lbPolicy?.string != "instance_aware_least_load" {
            throw FieldError(
                p("load_balancing_policy"),
                "a per-accelerator target_qps_per_replica needs load_balancing_policy \"instance_aware_least_load\""
            )
        }
        if lbPolicy?.string == "instance_aware_least_load" {
            guard case .dict? = targetQPS else {
                throw FieldError(
                    p("load_balancing_policy"),
                    "\"instance_aware_least_load\" needs target_qps_per_replica as a map from accelerator to QPS"
                )
            }
        }
        let isPool = poolConfig?.isTruthy == true
        // SkyServiceSpec.__init__ checks.
        if isPool {
            let unsupported: [(String, PyValue?)] =
                [
                    ("num_overprovision", numOverprovision), ("target_qps_per_replica", targetQPS),
                    ("base_ondemand_fallback_replicas", baseFallback),
                    ("dynamic_ondemand_fallback", dynamicFallback),
                    ("spot_placer", spotPlacer), ("load_balancing_policy", lbPolicy),
                    ("ports", get("ports")),
                    ("post_data", postData), ("tls", get("tls")),
                    ("headers", probeValue("headers")),
                ]
                + (maxReplicas == nil
                    ? [("upscale_delay_seconds", upscale), ("downscale_delay_seconds", downscale)]
                    : [])
            for (name, value) in unsupported where value != nil {
                throw FieldError(path, "\(name) is not supported for a pool")
            }
            if let q = number(queueThreshold), q <= 0 {
                throw FieldError(p("pool"), "queue_length_threshold must be > 0")
            }
        }
        if let maxV = number(maxReplicas), let minV = number(minReplicas), maxV < minV {
            throw FieldError(
                path,
                "max_replicas must be greater than or equal to min_replicas (min_replicas=\(minReplicas.pyStr), max_replicas=\(maxReplicas!.pyStr))"
            )
        }
        if targetQPS != nil {
            if maxReplicas == nil {
                throw FieldError(
                    p("replica_policy"),
                    "max_replicas must be set when target_qps_per_replica is set")
            }
        } else if !isPool, let maxR = maxReplicas, maxR != minReplicas {
            throw FieldError(
                p("replica_policy"),
                "min_replicas and max_replicas differ while target_qps_per_replica is not set; set target_qps_per_replica to enable autoscaling"
            )
        }
        guard readinessPath.hasPrefix("/") else {
            throw FieldError(
                p("readiness_probe"),
                "readiness path must start with a slash (/); got \(readinessPath)")
        }
        if let lb = lbPolicy,
            !["round_robin", "least_load", "instance_aware_least_load"].contains(lb.pyStr)
        {
            throw FieldError(
                p("load_balancing_policy"),
                "unknown load balancing policy \(lb.pyStr); available: round_robin, least_load, instance_aware_least_load"
            )
        }
        var ports: String?
        if let port = get("ports") {
            guard case .int(let n) = port, (1...65535).contains(n) else {
                throw FieldError(p("ports"), "port must be between 1 and 65535")
            }
            ports = String(n)
        }

        // to_yaml_config
        if let poolConfig, !poolConfig.isNone {
            var poolPairs = poolConfig.dictItems.map { $0.map { ($0.0.pyStr, $0.1.json) } } ?? []
            func put(_ k: String, _ v: PyValue?) {
                guard let v, !v.isNone else { return }
                if let i = poolPairs.firstIndex(where: { $0.0 == k }) {
                    poolPairs[i].1 = v.json
                } else {
                    poolPairs.append((k, v.json))
                }
            }
            if isPool {
                if maxReplicas != nil {
                    put("max_workers", maxReplicas)
                    put("queue_length_threshold", queueThreshold)
                    put("min_workers", minReplicas)
                    put("upscale_delay_seconds", upscale)
                    put("downscale_delay_seconds", downscale)
                } else {
                    put("workers", minReplicas)
                }
                return .object([("pool", .object(poolPairs))])
            }
            out.append(("pool", poolConfig.json))
        }
        add("readiness_probe", "path", .str(readinessPath))
        add(
            "readiness_probe", "initial_delay_seconds",
            probeValue("initial_delay_seconds") ?? .int(1200))
        add("readiness_probe", "post_data", postData)
        add("readiness_probe", "timeout_seconds", probeValue("timeout_seconds") ?? .int(15))
        if let interval = probeValue("endpoint_probe_interval_seconds"), number(interval) != 10 {
            add("readiness_probe", "endpoint_probe_interval_seconds", interval)
        }
        add(
            "readiness_probe", "consecutive_failure_threshold_timeout",
            probeValue("consecutive_failure_threshold_timeout"))
        let lbTimeout = get("load_balancer")?["stream_timeout_seconds"]
        if let t = lbTimeout, !t.isNone, number(t) != 120 {
            add("load_balancer", "stream_timeout_seconds", t)
        }
        add("readiness_probe", "headers", probeValue("headers"))
        add("replica_policy", "min_replicas", minReplicas)
        add("replica_policy", "max_replicas", maxReplicas)
        add("replica_policy", "num_overprovision", numOverprovision)
        add("replica_policy", "target_qps_per_replica", targetQPS)
        add("replica_policy", "dynamic_ondemand_fallback", dynamicFallback)
        add("replica_policy", "base_ondemand_fallback_replicas", baseFallback)
        add("replica_policy", "spot_placer", spotPlacer)
        add("replica_policy", "upscale_delay_seconds", upscale)
        add("replica_policy", "downscale_delay_seconds", downscale)
        for sec in sectionOrder { out.append((sec, .object(section[sec]!))) }
        if let lb = lbPolicy { out.append(("load_balancing_policy", lb.json)) }
        if let ports, let n = Int(ports) { out.append(("ports", .int(n))) }
        if let tls = get("tls") {
            out.append(
                (
                    "tls",
                    .object([
                        ("keyfile", (tls["keyfile"] ?? .none).json),
                        ("certfile", (tls["certfile"] ?? .none).json),
                    ])
                ))
        }
        return .object(out)
    }

    private func number(_ v: PyValue?) -> Double? {
        switch v {
        case .int(let i)?: return Double(i)
        case .float(let d)?: return d
        default: return nil
        }
    }
}
