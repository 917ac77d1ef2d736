import Foundation
import Yams

/// A kubeconfig file (clusters, users, contexts), as `kubectl` reads it.
package struct KubeConfig: Codable, Sendable {
    package var clusters: [NamedCluster]?
    package var users: [NamedUser]?
    package var contexts: [NamedContext]?
    package var currentContext: String?
    /// The file's directory: relative certificate and key paths are relative to it.
    package var baseDirectory: String = ""

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    package struct NamedCluster: Codable, Sendable {
        package var name: String
        package var cluster: Cluster
    }

    package struct Cluster: Codable, Sendable {
        package var server: String
        package var certificateAuthority: String?
        package var certificateAuthorityData: String?
        package var insecureSkipTLSVerify: Bool?
        package var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    package struct NamedUser: Codable, Sendable {
        package var name: String
        package var user: User
    }

    package struct User: Codable, Sendable {
        package var clientCertificate: String?
        package var clientCertificateData: String?
        package var clientKey: String?
        package var clientKeyData: String?
        package var token: String?
        package var tokenFile: String?
        package var exec: ExecConfig?

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token
            case tokenFile
            case exec
        }
    }

    /// `users[].user.exec`: a client-go credential plugin.
    package struct ExecConfig: Codable, Sendable, Hashable {
        package var apiVersion: String?
        package var command: String
        package var args: [String]?
        package var env: [EnvVar]?

        package struct EnvVar: Codable, Sendable, Hashable {
            package var name: String
            package var value: String
        }
    }

    package struct NamedContext: Codable, Sendable {
        package var name: String
        package var context: Context
    }

    package struct Context: Codable, Sendable {
        package var cluster: String
        package var user: String?
        package var namespace: String?
    }

    /// Parses kubeconfig YAML.
    package static func parse(_ yaml: String, baseDirectory: String) throws -> KubeConfig {
        do {
            var config = try YAMLDecoder().decode(KubeConfig.self, from: yaml)
            config.baseDirectory = baseDirectory
            return config
        } catch {
            throw KubeError.config("the kubeconfig is not valid: \(error)")
        }
    }

    /// Reads `path`, or the first file of `$KUBECONFIG`, or `~/.kube/config`.
    package static func load(
        path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> KubeConfig {
        let file: String
        if let path {
            file = path
        } else if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first
        {
            file = String(first)
        } else {
            file = (environment["HOME"] ?? NSHomeDirectory()) + "/.kube/config"
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw KubeError.config("cannot read the kubeconfig file \(file)")
        }
        return try parse(text, baseDirectory: (file as NSString).deletingLastPathComponent)
    }

    package var contextNames: [String] { (contexts ?? []).map(\.name) }
}
