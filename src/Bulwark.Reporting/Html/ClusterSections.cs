using Bulwark.Kubernetes.NetworkPolicy;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Parsing.Kubernetes;
using Bulwark.Rules;

namespace Bulwark.Reporting.Html;

/// <summary>
/// The parts of the HTML report drawn from the scan's cluster view, with the analyses the <c>netpol</c> and
/// <c>rbac</c> commands use: the connectivity graph when the input has network policies, the privilege-escalation
/// paths when it has RBAC objects.
/// </summary>
internal static class ClusterSections
{
    /// <summary>Paths listed; <c>bulwark rbac paths</c> lists them all.</summary>
    public const int MaxPaths = 200;

    private static readonly HashSet<string> RbacKinds = new(StringComparer.Ordinal) { "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding" };

    public static bool HasRbac(KubernetesCluster cluster) =>
        cluster.Objects.Any(o => RbacKinds.Contains(o.Kind) && RbacModel.IsRbacApiVersion(o.ApiVersion));

    /// <summary>The network model, when the input has policies to draw; null otherwise.</summary>
    public static NetworkModel? NetworkOf(KubernetesCluster cluster)
    {
        var model = ClusterModels.Network(cluster);
        return model.AllPolicies.Any() ? model : null;
    }

    public static void WriteNetwork(HtmlOutput html, NetworkModel model)
    {
        html.Markup("<section id=\"network\"><h2>Network connectivity</h2>\n");
        if (model.Workloads.Count > ConnectivitySvg.MaxNodes)
        {
            // Not even analysed: tens of thousands of connections would take seconds to compute and could not be read.
            html.Markup("<p class=\"note\">").Number(model.Workloads.Count)
                .Markup(" workloads are too many to draw here; <code>bulwark netpol list</code> lists the connections the policies allow and <code>bulwark netpol graph</code> draws them.</p></section>\n");
            return;
        }

        var report = new ConnectivityAnalyzer(model).Analyze();
        html.Markup("<p>What the network policies allow, as <code>bulwark netpol list</code> computes it: ")
            .Number(report.Connections.Count).Markup(report.Connections.Count == 1 ? " connection" : " connections")
            .Markup(" between ").Number(report.Workloads.Count).Markup(report.Workloads.Count == 1 ? " workload" : " workloads")
            .Markup(" and the address ranges outside the cluster.</p>\n");
        if (ConnectivitySvg.Fits(report))
        {
            html.Markup("<div class=\"graph-box\">");
            ConnectivitySvg.Write(html, report);
            html.Markup("</div>\n");
        }
        else
        {
            html.Markup("<p class=\"note\">Too many to draw; <code>bulwark netpol graph</code> writes them for Graphviz.</p>\n");
        }

        if (report.Connections.Count > 0)
        {
            html.Markup("<details><summary>The connections as a list</summary><table class=\"connections\"><thead><tr><th>From</th><th>To</th><th>Allowed</th></tr></thead><tbody>\n");
            foreach (var connection in report.Connections.Take(ConnectivitySvg.MaxEdges))
            {
                html.Markup("<tr data-connection><td>").Text(connection.Source.Name).Markup("</td><td>").Text(connection.Destination.Name)
                    .Markup("</td><td>").Text(connection.Connections.ToString()).Markup("</td></tr>\n");
            }

            html.Markup("</tbody></table>");
            if (report.Connections.Count > ConnectivitySvg.MaxEdges)
            {
                html.Markup("<p class=\"note\">The first ").Number(ConnectivitySvg.MaxEdges).Markup(" of ").Number(report.Connections.Count)
                    .Markup("; <code>bulwark netpol list</code> lists them all.</p>");
            }

            html.Markup("</details>\n");
        }

        html.Markup("</section>\n");
    }

    public static void WriteRbac(HtmlOutput html, KubernetesCluster cluster)
    {
        var paths = EscalationAnalysis.Analyze(ClusterModels.Rbac(cluster));
        html.Markup("<section id=\"rbac\"><h2>Privilege-escalation paths</h2>\n");
        if (paths.Count == 0)
        {
            html.Markup("<p>No subject of the input has a path to cluster-admin-equivalent power, code execution on the nodes or the Secrets of every namespace.</p></section>\n");
            return;
        }

        html.Markup("<p>Per subject, every escalation goal it reaches with the shortest way there, most severe first, as <code>bulwark rbac paths</code> finds them.</p>\n<ol class=\"paths\">\n");
        foreach (var path in paths.Take(MaxPaths))
        {
            html.Markup("<li data-path><span class=\"subject\">").Text(path.Subject).Markup("</span> ⇒ <span class=\"goal goal-")
                .Markup(EscalationPath.GoalKey(path.Goal)).Markup("\">").Text(EscalationPath.GoalDisplay(path.Goal)).Markup("</span> (")
                .Number(path.Steps.Count).Markup(path.Steps.Count == 1 ? " step" : " steps").Markup(")<ol>");
            foreach (var step in path.Steps)
            {
                html.Markup("<li>").Text(step.From).Markup(' ').Text(step.Action);
                if (step.Via.Length > 0)
                {
                    html.Markup(" <span class=\"via\">[").Text(step.Via).Markup("]</span>");
                }

                html.Markup(" → ").Text(step.To).Markup("</li>");
            }

            html.Markup("</ol></li>\n");
        }

        html.Markup("</ol>\n");
        if (paths.Count > MaxPaths)
        {
            html.Markup("<p class=\"note\">The first ").Number(MaxPaths).Markup(" of ").Number(paths.Count)
                .Markup(" paths; <code>bulwark rbac paths</code> lists them all.</p>\n");
        }

        html.Markup("</section>\n");
    }
}
