import SkyCore

/// Status schemas and printer columns of the three kinds (the operator writes these fields
/// through the `/status` subresource). Strings are nullable: the Kubernetes 1.20 test bed's API
/// server turns an empty string in a custom resource into null, and "" is a normal status value.
struct CRDStatusSchemas {
    private static let dateTime = object([
        ("type", "string"), ("format", "date-time"), ("nullable", true),
    ])

    /// `metav1.Condition`, as a map list keyed by `type`.
    static let conditions = object([
        ("type", "array"),
        ("x-kubernetes-list-type", "map"),
        ("x-kubernetes-list-map-keys", .array(["type"])),
        (
            "items",
            object([
                ("type", "object"),
                (
                    "properties",
                    object([
                        ("type", object([("type", "string"), ("maxLength", .int(316))])),
                        (
                            "status",
                            object([
                                ("type", "string"), ("enum", .array(["True", "False", "Unknown"])),
                            ])
                        ),
                        (
                            "observedGeneration",
                            object([("type", "integer"), ("format", "int64"), ("minimum", .int(0))])
                        ),
                        ("lastTransitionTime", dateTime),
                        (
                            "reason",
                            object([
                                ("type", "string"), ("maxLength", .int(1024)), ("nullable", true),
                            ])
                        ),
                        (
                            "message",
                            object([
                                ("type", "string"), ("maxLength", .int(32768)), ("nullable", true),
                            ])
                        ),
                    ])
                ),
                ("required", .array(["type", "status"])),
            ])
        ),
    ])

    private static func phase(_ values: [String]) -> JSONValue {
        object([
            ("type", "string"), ("enum", .array(values.map { .string($0) })), ("nullable", true),
        ])
    }

    private static func status(_ fields: [(String, JSONValue)]) -> JSONValue {
        let base: [(String, JSONValue)] = [
            ("observedGeneration", object([("type", "integer"), ("format", "int64")])),
            ("conditions", conditions),
            ("message", text),
        ]
        return object([
            ("type", "object"), ("properties", .object((base + fields).sorted { $0.0 < $1.0 })),
        ])
    }

    private static let text = object([("type", "string"), ("nullable", true)])
    private static let integer = object([("type", "integer")])

    let cluster = status([
        ("phase", phase(["Pending", "Launching", "Up", "Failed", "Terminating"])),
        ("clusterName", text), ("infra", text), ("resources", text), ("nodes", integer),
        (
            "handle",
            object([
                ("type", "string"), ("description", "The engine's cluster handle (opaque)."),
                ("nullable", true),
            ])
        ),
    ])

    let job = status([
        ("phase", phase(["Pending", "Launching", "Running", "Succeeded", "Failed", "Cancelled"])),
        ("clusterName", text), ("jobID", integer), ("exitCode", integer),
        (
            "logs",
            object([
                ("type", "string"),
                ("description", "Where the job's logs are (a `sky logs` command)."),
                ("nullable", true),
            ])
        ),
        ("startTime", dateTime), ("completionTime", dateTime),
    ])

    let service = status([("phase", text)])

    private static func column(_ name: String, _ type: String, _ path: String, priority: Int = 0)
        -> JSONValue
    {
        var pairs: [(String, JSONValue)] = [
            ("name", .string(name)), ("type", .string(type)), ("jsonPath", .string(path)),
        ]
        if priority > 0 { pairs.append(("priority", .int(priority))) }
        return .object(pairs)
    }

    private static let phaseColumn = column("Phase", "string", ".status.phase")
    private static let ageColumn = column("Age", "date", ".metadata.creationTimestamp")
    private static let messageColumn = column("Message", "string", ".status.message", priority: 1)

    let clusterColumns = [
        phaseColumn, column("Infra", "string", ".status.infra"),
        column("Resources", "string", ".status.resources"),
        column("Nodes", "integer", ".status.nodes"), ageColumn, messageColumn,
    ]
    let jobColumns = [
        phaseColumn, column("Cluster", "string", ".status.clusterName"),
        column("JobID", "integer", ".status.jobID"),
        column("ExitCode", "integer", ".status.exitCode"), ageColumn, messageColumn,
    ]
    let serviceColumns = [phaseColumn, ageColumn, messageColumn]
}
