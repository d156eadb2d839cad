using System.ComponentModel;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Granary.Tests.Storage.GranaryTestFramework", "Granary.Runtime.Tests")]

namespace Granary.Tests.Storage;

/// <summary>
/// xunit's own framework, except that the tests of <see cref="PostgreSqlTestsAttribute"/> classes are reported as
/// skipped when <see cref="PostgreSqlTestEnvironment.SkipReason"/> says so. xunit 2 has no dynamic skip, and most of
/// those tests are inherited from the provider conformance suites, whose attributes cannot say it.
/// </summary>
public sealed class GranaryTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus,
            ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (PostgreSqlTestEnvironment.SkipReason is null
                || testMethod.TestClass.Class.ToRuntimeType()?.GetCustomAttribute<PostgreSqlTestsAttribute>() is null
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var testCase = new PostgreSqlSkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>A test (a whole theory, without its rows) that is reported skipped while the PostgreSQL tests are skipped.</summary>
public sealed class PostgreSqlSkippedTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public PostgreSqlSkippedTestCase()
    {
    }

    public PostgreSqlSkippedTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        PostgreSqlTestEnvironment.SkipReason ?? base.GetSkipReason(factAttribute);
}
