using Bulwark.Images.Packages;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Packages;

/// <summary>The gemspec reader against RubyGems itself: <c>Gem::Specification.load</c> runs the same file.</summary>
public sealed class RubyGemspecTests
{
    private const string Generated = """
        # -*- encoding: utf-8 -*-
        # stub: nokogiri 1.16.7 x86_64-linux lib

        Gem::Specification.new do |s|
          s.name = %q{nokogiri}
          s.version = Gem::Version.new("1.16.7".freeze)
          s.platform = "x86_64-linux".freeze

          s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
          s.licenses = ["MIT".freeze] # the gem's own
          s.rubygems_version = "3.4.20".freeze
          s.summary = "Nokogiri (鋸) makes it easy and painless to work with XML and HTML from Ruby.".freeze
        end
        """;

    [SkippableFact]
    public void The_shared_gemspecs_read_as_rubygems_loads_them()
    {
        Skip.If(RepositoryPaths.SharedSkipReason is not null, RepositoryPaths.SharedSkipReason);
        var fixtures = Directory.GetFiles(RepositoryPaths.InShared("conformance", "pkgdb", "lang", "ruby"), "*.gemspec");
        Assert.Equal(4, fixtures.Length);
        foreach (var fixture in fixtures)
        {
            var problems = new List<string>();
            var gem = RubyGemspec.Read("usr/lib/ruby/gems/3.1.0/specifications/" + Path.GetFileName(fixture), File.ReadAllText(fixture), problems);

            Assert.Empty(problems);
            Assert.Equal(Load(fixture), $"{gem!.Name}\t{gem.Version}\t{gem.License}");
        }
    }

    [SkippableFact]
    public void A_generated_spec_with_a_version_object_and_percent_literals_reads_as_rubygems_loads_it()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["nokogiri-1.16.7-x86_64-linux.gemspec"], Generated);
        var problems = new List<string>();

        var gem = RubyGemspec.Read("var/lib/gems/3.1.0/specifications/nokogiri-1.16.7-x86_64-linux.gemspec", Generated, problems);

        Assert.Empty(problems);
        Assert.Equal(("gem", "nokogiri", "1.16.7", "MIT"), (gem!.Type, gem.Name, gem.Version, gem.License));
        Assert.Equal(Load(folder["nokogiri-1.16.7-x86_64-linux.gemspec"]), $"{gem.Name}\t{gem.Version}\t{gem.License}");
    }

    [SkippableFact]
    public void The_installed_ruby_s_own_specifications_read_as_rubygems_loads_them()
    {
        ImageTools.Require(ImageTools.Missing("ruby"));
        var folders = ImageTools.Run("ruby", "-e", "print Gem::Specification.dirs.join(\"\\n\")").Split('\n').Where(Directory.Exists).ToList();
        var specs = folders.SelectMany(f => Directory.GetFiles(f, "*.gemspec", SearchOption.AllDirectories)).Where(RubyGemspec.IsInstalledSpec).ToList();
        Skip.If(specs.Count == 0, "this ruby has no installed gem specifications");

        // One ruby run lists them all: name, version and licences of each file, as RubyGems loads it.
        var script = "ARGV.each { |f| s = Gem::Specification.load(f); puts [f, s.name, s.version, s.licenses.join(' OR ')].join(\"\\t\") }";
        var expected = ImageTools.Run("ruby", ["-e", script, .. specs]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var problems = new List<string>();
        var actual = specs.Select(f => RubyGemspec.Read(f.TrimStart('/'), File.ReadAllText(f), problems))
            .Select((g, i) => $"{specs[i]}\t{g?.Name}\t{g?.Version}\t{g?.License}").ToList();

        Assert.Empty(problems);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.3.gemspec", true)]
    [InlineData("usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec", true)]
    [InlineData("usr/share/rubygems-integration/all/specifications/rack-2.2.4.gemspec", true)]
    [InlineData("app/vendor/bundle/ruby/3.1.0/specifications/rails-7.1.0.gemspec", true)]
    [InlineData("app/rails.gemspec", false)]
    [InlineData("usr/lib/ruby/gems/3.1.0/gems/rake-13.0.3/rake.gemspec", false)]
    [InlineData("usr/lib/ruby/gems/3.1.0/specifications/a/b/c.gemspec", false)]
    public void Only_installed_specifications_count(string path, bool counts)
    {
        Assert.Equal(counts, RubyGemspec.IsInstalledSpec(path));
    }

    [Fact]
    public void A_spec_whose_name_or_version_is_computed_is_a_problem_not_a_guess()
    {
        var problems = new List<string>();
        Assert.Null(RubyGemspec.Read("specifications/x.gemspec", "Gem::Specification.new do |s|\n  s.name = NAME\n  s.version = Foo::VERSION\nend\n", problems));
        Assert.Null(RubyGemspec.Read("specifications/y.gemspec", "\0\u0001garbage = \"\n", problems));
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("specifications/x.gemspec: a gemspec without a literal name and version", problems[0], StringComparison.Ordinal);
    }

    private static string Load(string file)
    {
        ImageTools.Require(ImageTools.Missing("ruby"));
        return ImageTools.Run("ruby", "-e", "spec = Gem::Specification.load(ARGV[0]); print [spec.name, spec.version, spec.licenses.join(' OR ')].join(\"\\t\")", file);
    }
}
