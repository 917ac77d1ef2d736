/// The plugin's reply to `handshake`.
public struct PluginHandshake: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var name: String
    public var version: String?
    public var capabilities: [String]

    public init(
        protocolVersion: Int, name: String, version: String? = nil, capabilities: [String] = []
    ) {
        self.protocolVersion = protocolVersion
        self.name = name
        self.version = version
        self.capabilities = capabilities
    }

    private enum CodingKeys: String, CodingKey {
        case protocolVersion, name, version, capabilities
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        protocolVersion = try container.decode(Int.self, forKey: .protocolVersion)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        capabilities = try container.decodeIfPresent([String].self, forKey: .capabilities) ?? []
    }
}
