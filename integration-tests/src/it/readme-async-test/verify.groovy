// surefire ran both @AsyncTests, woven by transform-tests, and they passed; an hour of sleep took no real time.
def report = new File(basedir, 'target/surefire-reports/TEST-demo.RetryTest.xml')
assert report.isFile() : "no surefire report: the tests did not run"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 2 : "tests=${suite.@tests}"
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0 :
        new File(basedir, 'build.log').text
assert suite.@time.toDouble() < 30 : "the tests took ${suite.@time} s"
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0') : log

// And the woven main runs.
def runtime = new File(localRepositoryPath,
        "io/jasyncio/jasyncio-runtime/${projectVersion}/jasyncio-runtime-${projectVersion}.jar")
def annotations = new File(localRepositoryPath,
        "io/jasyncio/jasyncio-annotations/${projectVersion}/jasyncio-annotations-${projectVersion}.jar")
def java = new File(System.getProperty('java.home'), 'bin/java').path
def cp = [new File(basedir, 'target/classes'), runtime, annotations].collect { it.path }.join(File.pathSeparator)
def proc = new ProcessBuilder(java, '-cp', cp, 'demo.Hello', 'maven').redirectErrorStream(true).start()
def output = proc.inputStream.text
assert proc.waitFor() == 0 : output
assert output.trim() == 'hello maven' : output
