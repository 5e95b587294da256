// Tells the test whether the policy the page was served with lets page code generate code
// (DevTools' own evaluation is exempt from CSP, so the test cannot find out itself).
try {
  window.evalOutcome = String(new Function('return 6 * 7')());
} catch (error) {
  window.evalOutcome = error.name;
}
