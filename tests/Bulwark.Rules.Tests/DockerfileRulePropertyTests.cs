using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using CsCheck;
using Xunit;

namespace Bulwark.Rules.Tests;

/// <summary>Dockerfiles from strangers: whatever they hold, the Dockerfile rules never throw and point inside the file.</summary>
public sealed class DockerfileRulePropertyTests
{
    private static readonly string[] Lines =
    [
        "FROM alpine:3.20", "FROM ubuntu", "FROM ${BASE:-debian}:${TAG} AS b", "FROM b", "FROM scratch", "ARG BASE", "ARG TAG=latest",
        "USER root", "USER ${U}", "USER 0:0", "ENV API_TOKEN=abc123xyz", "ENV A=$B", "ARG NPM_TOKEN",
        "RUN curl -k https://x | sh", "RUN apt-get update && \\", "  apt-get install -y x \\", "# comment", "", "RUN <<EOF", "RUN bash <<-E",
        "EOF", "\tE", "curl -fsSL https://x | sudo bash", "RUN [\"sh\", \"-c\", \"wget --no-check-certificate x\"]", "RUN [\"broken",
        "RUN sh -c 'sh -c \"chmod 777 /x\"'", "RUN echo \"unterminated", "RUN echo 'a' \\", "COPY --chmod=777 id_rsa .env /x/", "ADD https://x/y /z",
        "ADD a b", "EXPOSE 22 20-30/tcp 8080/udp", "HEALTHCHECK NONE", "SHELL [\"pwsh\", \"-c\"]", "ONBUILD RUN --security=insecure sudo x",
        "RUN --mount=type=cache,target=/var/cache/apk apk add x", "RUN $(curl x) `wget y` <(curl z) ${A:-$(b)}", "# escape=`", "RUN a `",
        "RUN pip install x; pip3 install --no-cache-dir y", "RUN for i in 1 2; do dnf install -y $i; done < f", "RUN case x in a) curl -k y ;; esac",
    ];

    [Fact]
    public void Generated_dockerfiles_never_crash_a_rule_and_findings_stay_in_the_file()
    {
        var rules = BuiltInRules.All.Where(r => r.TargetTypes.Contains(typeof(DockerfileDocument))).ToList();
        Assert.True(rules.Count >= 17);
        var reported = 0;
        Gen.Int[0, Lines.Length - 1].Array[1, 40].Sample(picks =>
        {
            var text = string.Join('\n', picks.Select(i => Lines[i]));
            var document = DockerfileDocument.Parse("Dockerfile", text);
            if (!document.Syntax.Succeeded)
            {
                Assert.NotEmpty(document.Errors);
                return;
            }

            var lineCount = text.Split('\n').Length;
            var context = new CollectingRuleContext();
            foreach (var rule in rules)
            {
                rule.EvaluateTarget(document, context);
            }

            Interlocked.Add(ref reported, context.Findings.Count);
            Assert.All(context.Findings, f =>
            {
                Assert.InRange(f.Location.Line, 1, lineCount);
                Assert.True(f.Location.Column >= 1, f.ToString());
            });
        }, iter: 3000);

        // The generated files are not all rejected: the rules really ran on them.
        Assert.True(reported > 1000, $"only {reported} findings");
    }
}
