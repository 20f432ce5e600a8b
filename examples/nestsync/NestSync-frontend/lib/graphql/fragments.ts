import { gql } from '@apollo/client';

export const CHILD_FIELDS = gql`
  fragment ChildFields on Child {
    id
    childId
    name
    dateOfBirth
    currentDiaperSize
  }
`;
