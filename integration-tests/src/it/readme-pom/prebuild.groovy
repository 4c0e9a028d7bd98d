// The sample is README.md itself: its pom (the xml block after the readme-pom marker, verbatim), its first
// java example (Hello) and the test of its "Testing with @AsyncTest" (RetryTest), so the README's instructions cannot drift from what builds.
def readmeText = new File(readme).text
def marker = readmeText.indexOf('<!-- readme-pom:')
assert marker >= 0 : "README.md has no readme-pom marker"
def block = { String text, int from, String lang ->
    def open = text.indexOf('```' + lang + '\n', from)
    assert open >= 0 : "no ${lang} block after ${from}"
    def start = open + lang.length() + 4
    text.substring(start, text.indexOf('\n```', start) + 1)
}
def pom = block(readmeText, marker, 'xml')
assert pom.startsWith('<?xml') && pom.contains('</project>') : pom
assert pom.contains("<jasyncio.version>${projectVersion}</jasyncio.version>") :
        "README.md's pom names another jasyncio version than ${projectVersion}"
new File(basedir, 'pom.xml').text = pom

def hello = block(readmeText, 0, 'java')
assert hello.contains('public class Hello') : hello
def source = new File(basedir, 'src/main/java/Hello.java')
source.parentFile.mkdirs()
source.text = hello

// and the test of "Testing with @AsyncTest": an @AsyncTest on virtual time
def testing = readmeText.indexOf('## Testing with @AsyncTest')
assert testing >= 0 : "README.md has no 'Testing with @AsyncTest' section"
def test = block(readmeText, testing, 'java')
assert test.contains('class RetryTest') && test.contains('@AsyncTest') : test
def testSource = new File(basedir, 'src/test/java/RetryTest.java')
testSource.parentFile.mkdirs()
testSource.text = test
true
