// Ink imports react-devtools-core only when DEV=true; the bundle ships this stub instead.
export default { initialize() {}, connectToDevTools() {} };
