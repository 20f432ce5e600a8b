import { Text, View } from 'react-native';
import { graphql, FragmentType, useFragment } from '../gql';

export const ChildCardFragment = graphql(`
  fragment ChildCard on Child {
    id
    name
    currentDiaperSize
  }
`);

export function ChildCard(props: { child: FragmentType<typeof ChildCardFragment> }) {
  const child = useFragment(ChildCardFragment, props.child);
  return (
    <View>
      <Text>{child.name} — size {child.currentDiaperSize ?? "?"}</Text>
    </View>
  );
}
