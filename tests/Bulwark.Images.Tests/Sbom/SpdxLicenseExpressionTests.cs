using Bulwark.Images.Sbom;
using Xunit;

namespace Bulwark.Images.Tests.Sbom;

public sealed class SpdxLicenseExpressionTests
{
    [Theory]
    [InlineData("MIT")]
    [InlineData("GPL-2.0-or-later")]
    [InlineData("GPL-2.0+")]
    [InlineData("Apache-2.0 AND (MIT OR GPL-2.0-only)")]
    [InlineData("GPL-3.0-only WITH Classpath-exception-2.0")]
    [InlineData("((MIT))")]
    [InlineData("LicenseRef-Proprietary")]
    [InlineData("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")]
    [InlineData(" MIT OR ISC ")]
    public void Expressions_are_recognised(string text) => Assert.True(SpdxLicenseExpression.IsValid(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("GPLv2+ and LGPLv2+")]
    [InlineData("MIT BSD")]
    [InlineData("SEE LICENSE IN LICENSE.txt")]
    [InlineData("BSD-3-Clause, MIT")]
    [InlineData("(MIT")]
    [InlineData("MIT)")]
    [InlineData("MIT OR")]
    [InlineData("AND")]
    [InlineData("MIT WITH")]
    [InlineData("MIT WITH OR")]
    [InlineData("Public Domain")]
    [InlineData("LicenseRef-")]
    [InlineData("MIT++")]
    [InlineData("http://example.com/licence")]
    public void Other_licence_texts_are_not(string? text) => Assert.False(SpdxLicenseExpression.IsValid(text));
}
