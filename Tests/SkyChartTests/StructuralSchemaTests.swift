import Foundation
import SkyCore
import Testing

@testable import sky_crdgen

/// sky-crdgen's translation of SkyPilot's JSON schema rules into the structural subset.
@Suite("StructuralSchema translation")
struct StructuralSchemaTests {
    private func translate(_ json: String, name: String = "") throws -> JSONValue {
        StructuralSchema().translate(try JSONValue.parse(Data(json.utf8)), name: name)
    }

    @Test("integer | patterned string becomes int-or-string keeping the string pattern")
    func intOrString() throws {
        let node = try translate(
            #"{"anyOf":[{"type":"string","pattern":"^[0-9]+m?$"},{"type":"integer"}]}"#)
        #expect(node["x-kubernetes-int-or-string"] == .bool(true))
        #expect(node["pattern"] == .string("^[0-9]+m?$"))
        #expect(node["type"] == nil && node["anyOf"] == nil)
    }

    @Test("string | number keeps any scalar but rejects lists and maps")
    func mixedScalars() throws {
        let node = try translate(#"{"anyOf":[{"type":"string"},{"type":"number","minimum":0}]}"#)
        #expect(node["x-kubernetes-preserve-unknown-fields"] == .bool(true))
        #expect(node["maxItems"] == .int(0) && node["maxProperties"] == .int(0))
        #expect(node["minimum"] == .int(0))
        #expect(node["type"] == nil)
    }

    @Test("a mixed node keeps its map branch's fields and its list branch's items")
    func mixedContainers() throws {
        let node = try translate(
            #"""
            {"anyOf":[{"type":"boolean"},{"type":"string"},
            {"type":"object","additionalProperties":false,"properties":{"idle_minutes":{"type":"integer","minimum":0}},"required":["idle_minutes"]}]}
            """#)
        #expect(node["x-kubernetes-preserve-unknown-fields"] == .bool(true))
        #expect(node["properties"]?["idle_minutes"]?["minimum"] == .int(0))
        #expect(node["required"] == .array([.string("idle_minutes")]))
        #expect(node["maxItems"] == .int(0) && node["maxProperties"] == nil)
        let accelerators = try translate(
            #"""
            {"anyOf":[{"type":"string"},{"type":"object","additionalProperties":{"anyOf":[{"type":"null"},{"type":"number"}]}},
            {"type":"array","items":{"type":"string"}}]}
            """#)
        #expect(accelerators["additionalProperties"]?["type"] == .string("number"))
        #expect(accelerators["additionalProperties"]?["nullable"] == .bool(true))
        #expect(accelerators["items"]?["type"] == .string("string"))
        #expect(accelerators["maxItems"] == nil && accelerators["maxProperties"] == nil)
    }

    @Test(
        "case-insensitive enums become (?i:...) patterns; cloud lists and infra patterns stay open")
    func enums() throws {
        let waitFor = try translate(
            #"{"case_insensitive_enum":["jobs_and_ssh","jobs","none"],"type":"string"}"#)
        #expect(waitFor["pattern"] == .string("^(?i:jobs_and_ssh|jobs|none)$"))
        let cloud = try translate(#"{"case_insensitive_enum":["aws","gcp","ssh"],"type":"string"}"#)
        #expect(
            cloud["pattern"] == nil && cloud["enum"] == nil && cloud["type"] == .string("string"))
        let infra = try translate(#"{"type":"string","pattern":"^(aws|gcp)$"}"#, name: "infra")
        #expect(infra["pattern"] == nil)
        let policy = try translate(
            #"{"oneOf":[{"type":"boolean"},{"enum":["ALL","BUILD"],"type":"string"}]}"#)
        #expect(policy["pattern"] == .string("^(?:ALL|BUILD)$"))
        #expect(policy["enum"] == nil, "an enum in a mixed node would reject the boolean branch")
    }

    @Test(
        "objects: closed maps keep properties, open ones preserve unknown fields, patternProperties become additionalProperties"
    )
    func objects() throws {
        let closed = try translate(
            #"{"type":"object","additionalProperties":false,"properties":{"a":{"type":"integer"}},"required":["a"]}"#
        )
        #expect(
            closed["additionalProperties"] == nil
                && closed["x-kubernetes-preserve-unknown-fields"] == nil)
        #expect(closed["properties"]?["a"]?["type"] == .string("integer"))
        #expect(closed["required"] == .array([.string("a")]))
        let open = try translate(
            #"{"type":"object","additionalProperties":true,"properties":{"a":{"type":"string"}}}"#)
        #expect(open["x-kubernetes-preserve-unknown-fields"] == .bool(true))
        let envs = try translate(
            #"{"type":"object","additionalProperties":false,"patternProperties":{"^[A-Z]+$":{"type":["string","null"]}}}"#
        )
        #expect(envs["additionalProperties"]?["type"] == .string("string"))
        #expect(envs["additionalProperties"]?["nullable"] == .bool(true))
        let free = try translate(#"{"type":"object"}"#)
        #expect(free["x-kubernetes-preserve-unknown-fields"] == .bool(true))
    }

    @Test(
        "draft 7 numeric exclusiveMinimum becomes OpenAPI's bound plus flag; uniqueItems is dropped"
    )
    func keywords() throws {
        let number = try translate(#"{"type":"number","exclusiveMinimum":0}"#)
        #expect(number["minimum"] == .int(0) && number["exclusiveMinimum"] == .bool(true))
        let list = try translate(
            #"{"type":"array","items":{"type":"string"},"uniqueItems":true,"minItems":1}"#)
        #expect(list["uniqueItems"] == nil && list["minItems"] == .int(1))
        #expect(list["items"]?["type"] == .string("string"))
    }

    @Test("the YAML writer quotes what YAML would read as another type")
    func yamlScalars() {
        #expect(YAMLWriter.scalar(.string("on")) == "\"on\"")
        #expect(YAMLWriter.scalar(.string("123")) == "\"123\"")
        #expect(YAMLWriter.scalar(.string("^(?i:a|b)$")) == "\"^(?i:a|b)$\"")
        #expect(YAMLWriter.scalar(.string("sky.dev/v1alpha1")) == "sky.dev/v1alpha1")
        let doc = YAMLWriter.document(
            .object([("a", .array([.object([("b", .int(1)), ("c", .array([]))])]))]))
        #expect(doc == "a:\n- b: 1\n  c: []\n")
    }
}
