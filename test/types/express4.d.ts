// The Express 4 test dependency is installed under an alias; its types are Express's own shape.
declare module 'express4' {
  import express from 'express';
  export default express;
}
