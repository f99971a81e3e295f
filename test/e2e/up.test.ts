import { ENGINES } from "../helpers/engines.ts";
import { upSuite } from "./up.suite.ts";

upSuite(ENGINES.docker);
