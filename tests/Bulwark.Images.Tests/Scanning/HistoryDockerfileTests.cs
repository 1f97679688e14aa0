using Bulwark.Images.Config;
using Bulwark.Parsing.Images;
using Bulwark.Scanning;
using Bulwark.Scanning.Images;
using Xunit;

namespace Bulwark.Images.Tests.Scanning;

public sealed class HistoryDockerfileTests
{
    [Theory]
    [InlineData("/bin/sh -c #(nop)  CMD [\"bash\"]", "CMD [\"bash\"]")]
    [InlineData("/bin/sh -c #(nop) ADD file:5a1b2c3d4e in / ", "ADD file:5a1b2c3d4e /")]
    [InlineData("/bin/sh -c #(nop) COPY dir:0f0e0d in /app ", "COPY dir:0f0e0d /app")]
    [InlineData("/bin/sh -c apt-get update && apt-get install -y curl", "RUN apt-get update && apt-get install -y curl")]
    [InlineData("|2 VERSION=1.2 TARGET=\"a b\" /bin/sh -c make install", "RUN make install")]
    [InlineData("RUN /bin/sh -c apk add --no-cache git # buildkit", "RUN apk add --no-cache git")]
    [InlineData("RUN |1 NODE_ENV=production /bin/sh -c npm ci # buildkit", "RUN npm ci")]
    [InlineData("COPY . /app # buildkit", "COPY . /app")]
    [InlineData("USER app", "USER app")]
    [InlineData("HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f localhost\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x00'}", "# HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f localhost\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x00'}")]
    [InlineData("", "#")]
    [InlineData("import from tarball", "# import from tarball")]
    public void Each_builders_record_of_a_step_becomes_its_instruction(string createdBy, string expected) =>
        Assert.Equal(expected, HistoryDockerfile.Instruction(createdBy));

    [Fact]
    public void A_multi_line_step_stays_on_its_line_so_line_numbers_map_to_history_entries()
    {
        var document = HistoryDockerfile.From("img (history)", [Entry(0, "/bin/sh -c #(nop) ADD file:ab in / "), Entry(1, "/bin/sh -c set -e\napt-get update\napt-get install -y nginx"), Entry(2, "USER www")])!;
        Assert.Equal(["FROM scratch", "ADD file:ab /", "RUN set -e; apt-get update; apt-get install -y nginx", "USER www"], document.Lines);
        Assert.Empty(document.Errors);
    }

    [Fact]
    public void The_run_step_rules_judge_the_history_and_point_at_its_entry()
    {
        var history = HistoryDockerfile.From("app.tar (history)",
        [
            Entry(0, "/bin/sh -c #(nop) ADD file:ab in / "),
            Entry(1, "/bin/sh -c #(nop)  CMD [\"bash\"]"),
            Entry(2, "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit"),
            Entry(3, "RUN /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit"),
        ]);
        var image = new ContainerImage { Name = "app.tar", User = "1000", Healthcheck = ["CMD", "true"], History = history };
        var input = new ScanEngine.ParsedInput { File = new Parsing.Documents.SourceFile { Path = "app.tar (history)" } };
        input.Targets.Add(image);

        var result = new ScanEngine().Scan([input], [], new ScanOptions { Paths = [], AllowEmpty = true });

        var found = result.Findings.Select(f => (f.Rule.Slug, f.Location.File, f.Location.Line)).Order().ToList();
        Assert.Equal(
        [
            ("apt-install-recommends", "app.tar (history)", 4),
            ("package-cache-not-cleaned", "app.tar (history)", 4),
            ("remote-script-piped-to-shell", "app.tar (history)", 5),
        ], found);
    }

    private static ImageHistoryEntry Entry(int index, string createdBy) => new(index, null, createdBy, null, null, EmptyLayer: false);
}
