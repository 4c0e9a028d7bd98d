// README.md's pom, Hello and RetryTest, built with `mvn test exec:java` as the README says: woven by the javac plugin,
// the program's output in the build log, and the README's `java -cp ...` command runs it too.
import io.jasyncio.it.support.WovenClasses

def classes = new File(basedir, 'target/classes')
assert new File(classes, 'Hello$$Async$hello.class').isFile() : classes.list()
def jar = { String artifact ->
    new File(localRepositoryPath, "io/jasyncio/${artifact}/${projectVersion}/${artifact}-${projectVersion}.jar")
}
def libs = [jar('jasyncio-runtime'), jar('jasyncio-annotations')]
assert WovenClasses.verify(classes.toPath(), libs*.toPath()) == 1

def expected = ['Hello', 'Hello', 'World', 'World']
def log = new File(basedir, 'build.log').readLines()
def printed = log.findAll { it in expected }
assert printed == expected : "exec:java did not print the README's output:\n${log.join('\n')}"

def java = new File(System.getProperty('java.home'), 'bin/java').path
def cp = ([classes] + libs).collect { it.path }.join(File.pathSeparator)
def proc = new ProcessBuilder(java, '-cp', cp, 'Hello').redirectErrorStream(true).start()
def output = proc.inputStream.text
assert proc.waitFor() == 0 : output
assert output.readLines() == expected : output
// the README's @AsyncTest ran, on virtual time (a minute of sleep), and passed
def report = new File(basedir, 'target/surefire-reports/TEST-RetryTest.xml')
assert report.isFile() : "no surefire report of RetryTest: ${new File(basedir, 'target').list()}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.text() == '1' && suite.@failures.text() == '0' && suite.@errors.text() == '0' && suite.@skipped.text() == '0' : report.text
assert Double.parseDouble(suite.@time.text()) < 30 : "a minute of virtual time took ${suite.@time} s"
true
