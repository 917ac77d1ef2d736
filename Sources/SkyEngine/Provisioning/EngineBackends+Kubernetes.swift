import SkyKubernetes
import SkyProvision

extension SkyEngine {
    /// The Kubernetes backend (issue #10), registered when a kubeconfig exists (`$KUBECONFIG`
    /// or `~/.kube/config`: one stat, no kubectl call). Its per-cluster files (the pods' ssh
    /// host keys) live in `$SKY_HOME/kubernetes`; `kubernetes.allowed_contexts` of
    /// `$SKY_HOME/config.yaml` is read when the contexts are first needed.
    func kubernetesBackend() -> (any Provisioner)? {
        var environment = self.environment
        environment["HOME"] = userHome
        guard KubernetesProvisioner.kubeconfigExists(environment: environment) else { return nil }
        let configFile = home + "/config.yaml"
        return KubernetesProvisioner(
            environment: environment, stateDirectory: home + "/kubernetes",
            allowedContextsSource: { KubernetesConfigSection.allowedContexts(path: configFile) })
    }
}
