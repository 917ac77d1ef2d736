import SkyCore

/// The three CustomResourceDefinitions of group `sky.dev` (SkyCluster, SkyJob, SkyService),
/// with `spec.task` derived from SkyCore's SkyPilot task schema.
struct CRDBuilder {
    /// SkyCore's schema document: `{"task": .., "resources": .., "service": .., "storage": ..}`.
    let schemas: JSONValue
    private let translator = StructuralSchema()

    static let group = "sky.dev"
    static let version = "v1alpha1"

    struct Kind {
        var kind: String
        var plural: String
        var shortName: String
        var fileName: String { "\(plural).\(CRDBuilder.group).yaml" }
    }

    static let kinds = [
        Kind(kind: "SkyCluster", plural: "skyclusters", shortName: "skc"),
        Kind(kind: "SkyJob", plural: "skyjobs", shortName: "skj"),
        Kind(kind: "SkyService", plural: "skyservices", shortName: "sks"),
    ]

    func crd(_ kind: Kind) throws(CRDGenError) -> JSONValue {
        let (spec, status, columns) = try parts(kind)
        let root = object([
            ("type", "object"),
            (
                "properties",
                .object([
                    ("apiVersion", object([("type", "string")])),
                    ("kind", object([("type", "string")])),
                    ("metadata", object([("type", "object")])),
                    ("spec", spec),
                    ("status", status),
                ])
            ),
            ("required", .array(["spec"])),
        ])
        let version = object([
            ("name", .string(Self.version)),
            ("served", true),
            ("storage", true),
            ("subresources", object([("status", .object([]))])),
            ("additionalPrinterColumns", .array(columns)),
            ("schema", object([("openAPIV3Schema", root)])),
        ])
        return object([
            ("apiVersion", "apiextensions.k8s.io/v1"),
            ("kind", "CustomResourceDefinition"),
            (
                "metadata",
                object([
                    ("name", .string("\(kind.plural).\(Self.group)")),
                    ("labels", object([("app.kubernetes.io/part-of", "sky")])),
                ])
            ),
            (
                "spec",
                object([
                    ("group", .string(Self.group)),
                    (
                        "names",
                        object([
                            ("kind", .string(kind.kind)),
                            ("listKind", .string(kind.kind + "List")),
                            ("plural", .string(kind.plural)),
                            ("singular", .string(kind.kind.lowercased())),
                            ("shortNames", .array([.string(kind.shortName)])),
                            ("categories", .array(["sky"])),
                        ])
                    ),
                    ("scope", "Namespaced"),
                    ("versions", .array([version])),
                ])
            ),
        ])
    }

    private func parts(_ kind: Kind) throws(CRDGenError) -> (JSONValue, JSONValue, [JSONValue]) {
        let common = CRDStatusSchemas()
        switch kind.kind {
        case "SkyCluster":
            let spec = specSchema([
                (
                    "clusterName",
                    string(
                        "Name of the Sky cluster (default: derived from the resource's namespace and name)."
                    )
                ),
                ("envFrom", Self.envFrom),
                ("task", try task(requiring: [])),
            ])
            return (spec, common.cluster, common.clusterColumns)
        case "SkyJob":
            let spec = specSchema([
                (
                    "cluster",
                    string(
                        "Name of the SkyCluster (same namespace) to run on; absent: the job creates and owns a cluster from its own task."
                    )
                ),
                ("envFrom", Self.envFrom),
                ("task", try task(requiring: [])),
            ])
            return (spec, common.job, common.jobColumns)
        default:
            let spec = specSchema([
                ("envFrom", Self.envFrom),
                ("task", try task(requiring: ["service"])),
            ])
            return (spec, common.service, common.serviceColumns)
        }
    }

    private func specSchema(_ properties: [(String, JSONValue)]) -> JSONValue {
        object([
            ("type", "object"), ("properties", .object(properties)), ("required", .array(["task"])),
        ])
    }

    static let envFrom = object([
        (
            "description",
            "Kubernetes Secrets whose keys become the task's secret environment variables (like a container's envFrom). Secrets are never written inline in the task."
        ),
        ("type", "array"),
        (
            "items",
            object([
                ("type", "object"),
                (
                    "properties",
                    object([
                        (
                            "secretRef",
                            object([
                                ("type", "object"),
                                (
                                    "properties",
                                    object([
                                        (
                                            "name",
                                            object([("type", "string"), ("minLength", .int(1))])
                                        ),
                                        (
                                            "optional",
                                            object([
                                                (
                                                    "description",
                                                    "A missing Secret is not an error (its keys are simply absent)."
                                                ),
                                                ("type", "boolean"),
                                            ])
                                        ),
                                    ])
                                ),
                                ("required", .array(["name"])),
                            ])
                        )
                    ])
                ),
                ("required", .array(["secretRef"])),
            ])
        ),
    ])

    /// `spec.task`: SkyPilot's task schema, with `resources` and `service` from their own
    /// schemas (SkyPilot checks them separately), `num_nodes >= 1` (the loader's rule) and
    /// inline `secrets` forbidden.
    func task(requiring required: [String]) throws(CRDGenError) -> JSONValue {
        guard let task = schemas["task"], let resources = schemas["resources"],
            let service = schemas["service"]
        else {
            throw .missingSchema("task, resources and service")
        }
        guard case .object(var node) = translator.translate(task),
            case .object(var properties)? = node.first(where: { $0.0 == "properties" })?.1
        else { throw .missingSchema("task.properties") }
        func set(_ key: String, _ value: JSONValue) {
            if let i = properties.firstIndex(where: { $0.0 == key }) {
                properties[i].1 = value
            } else {
                properties.append((key, value))
            }
        }
        set("resources", LoaderRules.resources(translator.translate(resources)))
        set("service", translator.translate(service))
        set("num_nodes", object([("type", "integer"), ("minimum", .int(1))]))
        // The task loader treats `key:` with no value as absent (except envs).
        properties = properties.map { ($0.0, $0.0 == "envs" ? $0.1 : LoaderRules.nullable($0.1)) }
        // SkyPilot turns every env value into a string; a null value must come from envFrom.
        set(
            "envs",
            object([
                ("type", "object"),
                (
                    "additionalProperties",
                    object([("nullable", true), ("x-kubernetes-preserve-unknown-fields", true)])
                ),
            ]))
        set(
            "secrets",
            object([
                (
                    "description",
                    "Not allowed in a custom resource: put secret values in a Kubernetes Secret and name it in spec.envFrom."
                ),
                ("not", .object([])),
                ("x-kubernetes-preserve-unknown-fields", true),
            ]))
        properties.sort { $0.0 < $1.0 }
        node = node.map { $0.0 == "properties" ? ($0.0, .object(properties)) : $0 }
        node.removeAll { $0.0 == "description" || $0.0 == "required" }
        node.append(
            (
                "description",
                "A SkyPilot task, exactly as in a task YAML (snake_case keys: resources, num_nodes, envs, setup, run, file_mounts, workdir, service, ...)."
            ))
        if !required.isEmpty { node.append(("required", .array(required.map { .string($0) }))) }
        return .object(node.sorted { $0.0 < $1.0 })
    }
}

func object(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs) }

func string(_ description: String) -> JSONValue {
    object([("description", .string(description)), ("type", "string")])
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
